"""The lazy table's row cache without Qt or a database: which fetch fills a row, how chains meet."""

from __future__ import annotations

from dataclasses import replace

from backoffice.services.browse import Cursor, Page
from backoffice.ui.widgets.row_cache import Request, RowCache

TOTAL = 1_000  # rows 0..999, whose key is their true position
PAGE = 50


def page(lo: int, hi: int) -> tuple[Page, list[int]]:
    """The true rows [lo, hi), as the database would answer, with its look-ahead keys."""
    lo, hi = max(lo, 0), min(hi, TOTAL)
    keys = list(range(lo, hi))
    return Page(
        columns=("key",),
        rows=tuple((k,) for k in keys),
        first=Cursor(lo, lo),
        last=Cursor(hi - 1, hi - 1),
        at_start=lo == 0,
        at_end=hi == TOTAL,
        key_before=lo - 1 if lo > 0 else None,
        key_after=hi if hi < TOTAL else None,
    ), keys


def answer(cache: RowCache, request: Request, true_lo: int) -> bool:
    """Answer `request` with the true rows starting at `true_lo` (a seek may land off its target)."""
    if request.kind == "before":
        assert request.cursor is not None
        result, rows = page(request.cursor.key - PAGE, request.cursor.key)
    elif request.kind == "after":
        assert request.cursor is not None
        result, rows = page(request.cursor.key + 1, request.cursor.key + 1 + PAGE)
    else:
        result, rows = page(true_lo, true_lo + PAGE)
    return cache.insert(request, result, rows)


def fill(cache: RowCache, row: int, *, seek_error: int = 0) -> Request:
    request = cache.plan(row)
    assert request is not None
    true_lo = {"first": 0, "last": TOTAL - PAGE}.get(request.kind, row + seek_error)
    answer(cache, request, true_lo)
    return request


def new_cache(**kwargs: int) -> RowCache:
    return RowCache(
        page_size=PAGE, max_rows=kwargs.get("max_rows", 10_000), row_count=TOTAL, exact=True
    )


def test_rows_below_a_block_are_fetched_after_its_last_cursor_and_land_in_place():
    cache = new_cache()
    assert fill(cache, 0).kind == "first"
    assert fill(cache, 60).kind == "after"
    assert [cache.get(r) for r in range(0, 100)] == list(range(100))


def test_the_end_is_fetched_from_the_end_and_scrolling_up_reads_backwards():
    cache = new_cache()
    assert fill(cache, TOTAL - 1).kind == "last"
    assert fill(cache, TOTAL - PAGE - 10).kind == "before"
    assert [cache.get(r) for r in range(TOTAL - 2 * PAGE, TOTAL)] == list(
        range(TOTAL - 2 * PAGE, TOTAL)
    )


def test_a_far_row_is_a_seek_and_an_exact_landing_merges_into_the_top_chain():
    cache = new_cache()
    fill(cache, 0)
    assert fill(cache, 100).kind == "seek"  # more than a page away from anything loaded
    fill(cache, 60)  # the top chain grows to meet it: the look-ahead key says they join
    assert len({id(b.chain) for b in cache._blocks}) == 1
    assert [cache.get(r) for r in range(150)] == list(range(150))


def test_a_seek_that_landed_off_its_place_is_dropped_when_the_exact_chain_meets_it():
    cache = new_cache()
    fill(cache, 0)
    fill(cache, 100, seek_error=7)  # rows 107.. shown at 100..: about right, not exact
    assert cache.get(100) == 107
    fill(cache, 60)
    assert cache.get(100) is None  # the misplaced chain is gone, to be fetched from the exact one
    fill(cache, 100)
    assert [cache.get(r) for r in range(150)] == list(range(150))


def test_the_bottom_chain_moves_with_the_count_when_it_becomes_exact():
    cache = RowCache(page_size=PAGE, max_rows=10_000, row_count=900, exact=False)
    fill(cache, 899)  # the last rows, placed at the estimated end
    assert cache.get(899) == TOTAL - 1
    cache.set_count(TOTAL, exact=True)
    assert cache.get(TOTAL - 1) == TOTAL - 1 and cache.get(899) is None


def test_the_top_chain_reaching_the_end_makes_the_count_exact():
    cache = RowCache(page_size=PAGE, max_rows=10_000, row_count=2_000, exact=False)
    row = 0
    while not cache.exact:
        fill(cache, row)
        row += PAGE
    assert cache.row_count == TOTAL


def test_memory_stays_bounded_while_scrolling_through_everything():
    cache = new_cache(max_rows=200)
    peak = 0
    for row in range(0, TOTAL, 10):
        if cache.get(row) is None:
            fill(cache, row)
        assert cache.get(row) == row
        peak = max(peak, cache.loaded_rows)
    assert peak <= 200 + PAGE


def test_nothing_before_a_seek_block_makes_it_the_top_of_the_table():
    cache = new_cache()
    seek = cache.plan(300)
    assert seek is not None and seek.kind == "seek"
    landed, rows = page(0, PAGE)  # the jump landed on the first rows, not knowing they are first
    cache.insert(seek, replace(landed, at_start=False), rows)
    assert cache.get(300) == 0
    before = cache.plan(299)
    assert before is not None and before.kind == "before"
    nothing = Page(columns=("key",), rows=(), first=None, last=None, at_start=True, at_end=False)
    cache.insert(before, nothing, [])
    assert cache.get(0) == 0 and cache.get(300) is None  # moved to the top, where it belongs
