"""Browsing services on real PostgreSQL: keyset pages against ORDER BY ... OFFSET, per-role columns
and rows, filters and search in SQL, the estimate without COUNT, and refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from backoffice.errors import PermissionDenied, ValidationError
from backoffice.services.browse import (
    BOOKINGS,
    CLIENTS,
    PAYMENTS,
    SOURCES,
    BrowseQuery,
    Filter,
    Selection,
    count_selected,
    estimate_count,
    exact_count,
    fetch_last_page,
    fetch_page,
    paging,
    seek,
    stats,
    stream_rows,
)
from tests.integration.browse_fixtures import PLANTED, browse_clinic_fixture  # noqa: F401 (fixture)
from tests.security.conftest import THERAPIST_A

LIMIT = 97  # not a divisor of the row count: the last page is a short one


def offset_keys(browse, source, column, descending, where="TRUE"):
    """The keys in the order (column, key), read with OFFSET pages: the reference."""
    direction = "DESC" if descending else "ASC"
    order = f"{column} {direction}, {source.key} {direction}"
    table = f"{source.table.schema or 'public'}.{source.table.name}"
    keys, offset = [], 0
    while True:
        rows = browse.owner_rows(
            f"SELECT {source.key} FROM {table} WHERE {source.key} IS NOT NULL AND {where} "
            f"ORDER BY {order} OFFSET :offset LIMIT :limit",
            offset=offset,
            limit=LIMIT,
        )
        keys += [r[0] for r in rows]
        if len(rows) < LIMIT:
            return keys
        offset += LIMIT


def key_at(page, source):
    return page.columns.index(source.key)


def walk_forward(uow, actor, source, query):
    keys, after, pages = [], None, 0
    while True:
        page = fetch_page(uow, actor, source=source, query=query, after=after, limit=LIMIT)
        keys += [row[key_at(page, source)] for row in page.rows]
        pages += 1
        if page.at_end:
            return keys, pages
        after = page.last


def walk_backward(uow, actor, source, query):
    page = fetch_last_page(uow, actor, source=source, query=query, limit=LIMIT)
    keys = [row[key_at(page, source)] for row in page.rows]
    while not page.at_start:
        page = fetch_page(uow, actor, source=source, query=query, before=page.first, limit=LIMIT)
        keys = [row[key_at(page, source)] for row in page.rows] + keys
    return keys


SORTABLE = [(s, c.name) for s in (BOOKINGS, PAYMENTS) for c in s.columns if c.sortable]


@pytest.mark.slow
@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize(("source", "column"), SORTABLE, ids=[f"{s.name}.{c}" for s, c in SORTABLE])
def test_keyset_pages_in_both_directions_match_offset_pages_for_every_sortable_column(
    browse_clinic, source, column, descending
):
    expected = offset_keys(browse_clinic, source, column, descending)
    query = BrowseQuery(sort=column, descending=descending)
    with browse_clinic.uow("admin") as uow:
        forward, pages = walk_forward(uow, browse_clinic.actors["admin"], source, query)
        backward = walk_backward(uow, browse_clinic.actors["admin"], source, query)

    assert len(expected) > PLANTED
    assert forward == expected  # contiguous, no overlap, no gap, NULLs and ties included
    assert backward == expected
    assert pages == len(expected) // LIMIT + 1


def test_the_last_page_is_the_tail_of_the_order(browse_clinic):
    expected = offset_keys(browse_clinic, BOOKINGS, "booking_start_at", True)
    with browse_clinic.uow("admin") as uow:
        page = fetch_last_page(
            uow, browse_clinic.actors["admin"], source=BOOKINGS, query=BrowseQuery(), limit=LIMIT
        )
    assert [row[key_at(page, BOOKINGS)] for row in page.rows] == expected[-LIMIT:]
    assert page.at_end and not page.at_start


def test_the_first_page_knows_it_is_first_and_names_the_next_row(browse_clinic):
    expected = offset_keys(browse_clinic, PAYMENTS, "amount", False)
    with browse_clinic.uow("finance") as uow:
        page = fetch_page(
            uow,
            browse_clinic.actors["finance"],
            source=PAYMENTS,
            query=BrowseQuery(sort="amount"),
            limit=LIMIT,
        )
    assert page.at_start and not page.at_end
    assert page.key_after == expected[LIMIT]


def rows_of(browse, who, source, query):
    with browse.uow(who) as uow:
        keys, _ = walk_forward(uow, browse.actors[who], source, query)
    return keys


def test_filters_equal_range_in_and_empty_are_applied_in_sql(browse_clinic):
    cases = [
        (Filter("booking_status", "eq", value="cancelled"), "booking_status = 'cancelled'"),
        (
            Filter("booking_status", "in", values=("confirmed", "completed")),
            "booking_status IN ('confirmed', 'completed')",
        ),
        (Filter("booking_status", "is_null"), "booking_status IS NULL"),
        (
            Filter("invitee_payment_amount", "range", low=Decimal("1500"), high=Decimal("2000")),
            "invitee_payment_amount BETWEEN 1500 AND 2000",
        ),
        (
            Filter("booking_start_at", "range", low=dt.datetime(2025, 3, 1)),
            "booking_start_at >= '2025-03-01'",
        ),
    ]
    for flt, where in cases:
        expected = offset_keys(browse_clinic, BOOKINGS, "booking_start_at", True, where)
        got = rows_of(browse_clinic, "admin", BOOKINGS, BrowseQuery().filtered(flt))
        assert got == expected, where
        assert 0 < len(got) < PLANTED


def test_search_is_case_insensitive_takes_wildcards_literally_and_matches_ids_exactly(
    browse_clinic,
):
    def search(text):
        return rows_of(browse_clinic, "admin", BOOKINGS, BrowseQuery(search=text))

    asha = offset_keys(
        browse_clinic, BOOKINGS, "booking_start_at", True, "lower(invitee_name) = 'asha rao'"
    )
    assert search("ASHA") == asha
    assert set(search("100%")) == set(search("_Patel")) != set()
    assert search("0%") != [] and search("%") == search("100%")  # '%' is a character, not "any"
    assert search("x_y") == []
    assert search("BK-00042") == ["BK-00042"]
    assert search("BK-0004") == []  # ids match whole, names match inside


@pytest.fixture(params=["as planned", "matches first"])
def narrowing(request, monkeypatch):
    """Page searches both ways: as the planner likes, and matches first (as with a trigram index)."""
    monkeypatch.setattr(paging, "_narrowing", {})
    if request.param == "matches first":
        monkeypatch.setattr(stats, "trigram_search", lambda *args: True)
    else:
        monkeypatch.setattr(paging, "NARROW_BELOW", 0)
    return request.param


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_search_pages_match_offset_pages_both_ways_and_in_both_directions(
    browse_clinic, narrowing, descending
):
    query = BrowseQuery(sort="booking_start_at", descending=descending, search="asha")
    expected = offset_keys(
        browse_clinic, BOOKINGS, "booking_start_at", descending, "invitee_name ILIKE '%asha%'"
    )
    statements = []
    engine = browse_clinic.engines["admin"]

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        with browse_clinic.uow("admin") as uow:
            forward, _ = walk_forward(uow, browse_clinic.actors["admin"], BOOKINGS, query)
            backward = walk_backward(uow, browse_clinic.actors["admin"], BOOKINGS, query)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert forward == backward == expected
    assert len(expected) > 2 * LIMIT
    narrowed = any("MATERIALIZED" in s for s in statements)
    assert narrowed == (narrowing == "matches first")


def test_the_estimate_says_whether_search_has_a_trigram_index(browse_clinic):
    available = browse_clinic.owner_rows(
        "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"
    )[0][0]
    with browse_clinic.uow("admin") as uow:
        bookings = estimate_count(
            uow, browse_clinic.actors["admin"], source=BOOKINGS, query=BrowseQuery()
        )
        clients = estimate_count(
            uow, browse_clinic.actors["admin"], source=CLIENTS, query=BrowseQuery()
        )
    assert bookings.trigram_search == bool(available)
    assert not clients.trigram_search  # client_name and email_id have no trigram index here


def test_search_and_filter_combine(browse_clinic):
    query = BrowseQuery(search="chloé", filters=(Filter("booking_mode", value="online"),))
    expected = offset_keys(
        browse_clinic,
        BOOKINGS,
        "booking_start_at",
        True,
        "invitee_name = 'Chloé Martin' AND booking_mode = 'online'",
    )
    assert rows_of(browse_clinic, "admin", BOOKINGS, query) == expected != []


def test_a_therapist_sees_only_their_caseload_through_fetch_page(browse_clinic):
    keys = rows_of(browse_clinic, "therapist_a", BOOKINGS, BrowseQuery())
    expected = offset_keys(
        browse_clinic, BOOKINGS, "booking_start_at", True, f"therapist_id = '{THERAPIST_A}'"
    )
    assert keys == expected
    with browse_clinic.uow("therapist_a") as uow:
        actor = browse_clinic.actors["therapist_a"]
        page = fetch_page(uow, actor, source=BOOKINGS, query=BrowseQuery(), limit=LIMIT)
        assert {row[page.columns.index("therapist_id")] for row in page.rows} == {THERAPIST_A}
        assert exact_count(uow, actor, source=BOOKINGS, query=BrowseQuery()) == len(expected)


def test_finance_gets_no_clinical_columns_and_therapists_no_money_columns(browse_clinic):
    with browse_clinic.uow("finance") as uow:
        finance = fetch_page(
            uow, browse_clinic.actors["finance"], source=BOOKINGS, query=BrowseQuery(), limit=5
        )
    with browse_clinic.uow("therapist_a") as uow:
        therapist = fetch_page(
            uow, browse_clinic.actors["therapist_a"], source=BOOKINGS, query=BrowseQuery(), limit=5
        )
    assert "invitee_question" not in finance.columns
    assert "invitee_payment_amount" in finance.columns
    assert (
        "invitee_payment_amount" not in therapist.columns
        and "refund_amount" not in therapist.columns
    )
    assert "invitee_question" in therapist.columns
    assert finance.rows and therapist.rows  # the database accepted both column sets


def test_a_role_cannot_sort_or_filter_by_a_column_it_does_not_see(browse_clinic):
    with browse_clinic.uow("finance") as uow, pytest.raises(ValidationError):
        fetch_page(
            uow,
            browse_clinic.actors["finance"],
            source=BOOKINGS,
            query=BrowseQuery(filters=(Filter("invitee_question", value="x"),)),
        )


def test_the_estimate_is_the_planners_and_issues_no_count(browse_clinic):
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    engine = browse_clinic.engines["admin"]
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        with browse_clinic.uow("admin") as uow:
            estimate = estimate_count(
                uow,
                browse_clinic.actors["admin"],
                source=BOOKINGS,
                query=BrowseQuery(search="asha"),
            )
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)

    assert not estimate.exact and estimate.rows > 0
    assert any(s.startswith("EXPLAIN (FORMAT JSON)") for s in statements)
    assert not any("count(" in s.lower() for s in statements)


def test_the_exact_count_counts_the_filtered_rows(browse_clinic):
    expected = len(
        offset_keys(
            browse_clinic, PAYMENTS, "payment_date", True, "payment_gateway_name = 'razorpay'"
        )
    )
    with browse_clinic.uow("finance") as uow:
        count = exact_count(
            uow,
            browse_clinic.actors["finance"],
            source=PAYMENTS,
            query=BrowseQuery(filters=(Filter("payment_gateway_name", value="razorpay"),)),
        )
    assert count == expected


def position(keys, page, source):
    return keys.index(page.rows[0][key_at(page, source)])


def test_seek_by_fraction_lands_about_there_and_by_value_exactly_there(browse_clinic):
    admin = browse_clinic.actors["admin"]
    for descending in (False, True):
        keys = offset_keys(browse_clinic, BOOKINGS, "booking_start_at", descending)
        query = BrowseQuery(sort="booking_start_at", descending=descending)
        with browse_clinic.uow("admin") as uow:
            for fraction in (0.25, 0.5, 0.8):
                page = seek(uow, admin, source=BOOKINGS, query=query, fraction=fraction, limit=20)
                at = position(keys, page, BOOKINGS) / len(keys)
                assert abs(at - fraction) < 0.1, (descending, fraction, at)
    keys = offset_keys(browse_clinic, BOOKINGS, "booking_start_at", False)
    query = BrowseQuery(sort="booking_start_at")
    with browse_clinic.uow("admin") as uow:
        page = seek(uow, admin, source=BOOKINGS, query=query, fraction=0.97, limit=20)
        assert page.rows[0][0] is None  # past the values: the NULLs, last in ascending order
        value = dt.datetime(2025, 2, 10, 9, 0)
        page = seek(uow, admin, source=BOOKINGS, query=query, value=value, limit=20)
    first_at = browse_clinic.owner_rows(
        "SELECT count(*) FROM bookings WHERE booking_id IS NOT NULL AND booking_start_at < :v",
        v=value,
    )[0][0]
    assert position(keys, page, BOOKINGS) == first_at and page.rows[0][0] == value


def test_stream_rows_yields_every_filtered_row_in_order_in_chunks(browse_clinic):
    where = "invitee_name = 'Ben Cohen'"
    expected = offset_keys(browse_clinic, PAYMENTS, "payment_date", True, where)
    with browse_clinic.uow("finance") as uow:
        chunks = list(
            stream_rows(
                uow,
                browse_clinic.actors["finance"],
                source=PAYMENTS,
                query=BrowseQuery(search="ben cohen"),
                chunk_size=50,
            )
        )
    assert all(len(c) <= 50 for c in chunks) and len(chunks) > 1
    key = [c.name for c in PAYMENTS.columns_for(browse_clinic.actors["finance"])].index(
        "payment_id"
    )
    assert [row[key] for chunk in chunks for row in chunk] == expected
    assert all(isinstance(row[2], Decimal | None) for chunk in chunks for row in chunk)


def test_a_selection_holds_the_filter_minus_its_exclusions(browse_clinic):
    query = BrowseQuery(filters=(Filter("booking_status", value="cancelled"),))
    matching = offset_keys(
        browse_clinic, BOOKINGS, "booking_start_at", True, "booking_status = 'cancelled'"
    )
    selection = Selection.everything(query).toggled(matching[0]).toggled(matching[5])
    with browse_clinic.uow("admin") as uow:
        count = count_selected(
            uow, browse_clinic.actors["admin"], source=BOOKINGS, selection=selection
        )
    assert count == len(matching) - 2
    assert not selection.contains(matching[0]) and selection.contains(matching[1])


@pytest.mark.parametrize(
    ("who", "source"),
    [("therapist_a", PAYMENTS), ("finance", CLIENTS), ("finance", SOURCES["audit_events"])],
)
def test_a_role_without_the_permission_is_refused_before_any_sql(browse_clinic, who, source):
    statements = []
    engine = browse_clinic.engines[who]

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        with browse_clinic.uow(who) as uow, pytest.raises(PermissionDenied, match="does not allow"):
            fetch_page(uow, browse_clinic.actors[who], source=source, query=BrowseQuery())
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert statements == []


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_source_opens_for_every_role_allowed_to_see_it(browse_clinic, name):
    source = SOURCES[name]
    for who in ("admin", "finance", "therapist_a"):
        actor = browse_clinic.actors[who]
        if not actor.may(source.permission):
            continue
        with browse_clinic.uow(who) as uow:
            page = fetch_page(uow, actor, source=source, query=BrowseQuery(search="a"), limit=5)
            last = fetch_last_page(uow, actor, source=source, query=BrowseQuery(), limit=5)
            estimate_count(uow, actor, source=source, query=BrowseQuery())
        assert page.columns == last.columns
