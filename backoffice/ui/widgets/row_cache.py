"""The lazy table's sparse row cache: blocks of rows placed by chains, bounded in size (no Qt here).

A chain is a run of blocks fetched from one another by keyset cursors, so its rows are contiguous.
The top chain starts at row 0 and is exact; the bottom chain ends at the last row (it moves when
the row count becomes exact); a seek chain starts where a jump landed, about there. When two
chains meet, the look-ahead key of a page tells whether they join exactly: they merge, or the
less certain one is dropped and fetched again from its exact neighbour.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from typing import Any, Literal

from backoffice.services.browse import Cursor, Page

ChainKind = Literal["top", "bottom", "seek"]
_RANK = {"seek": 0, "bottom": 1, "top": 2}
_ids = itertools.count(1)


@dataclass(eq=False)
class Chain:
    kind: ChainKind
    anchor: int = 0  # a seek chain's absolute row for offset 0
    id: int = field(default_factory=lambda: next(_ids))

    def outranks(self, other: Chain) -> bool:
        return (_RANK[self.kind], self.id) > (_RANK[other.kind], other.id)


@dataclass(eq=False)
class Block:
    chain: Chain
    offset: int  # first row, relative to the chain's base
    rows: list[Any]  # one prepared row (values, display texts) per row
    first: Cursor
    last: Cursor
    at_start: bool
    at_end: bool
    used: int = 0


@dataclass(frozen=True)
class Request:
    """A fetch that fills a missing row: after/before a block's cursor, the first/last page, or a seek."""

    kind: Literal["after", "before", "first", "last", "seek"]
    rows: tuple[int, int]  # the absolute rows it should fill, [lo, hi)
    chain: Chain | None = None
    offset: int = 0  # "after": the new block's offset; "before": the offset it ends at
    cursor: Cursor | None = None
    fraction: float = 0.0


class RowCache:
    """Rows by absolute index; tells which fetch fills a missing row; keeps at most `max_rows`."""

    def __init__(self, *, page_size: int, max_rows: int, row_count: int = 0, exact: bool = False):
        self.page_size, self.max_rows = page_size, max_rows
        self.row_count, self.exact = row_count, exact
        self._blocks: list[Block] = []
        self._starts: list[int] = []
        self._tick = 0
        self._last: Block | None = None

    # --- reading -------------------------------------------------------------------------
    def start(self, block: Block) -> int:
        if block.chain.kind == "bottom":
            return self.row_count + block.offset
        return block.chain.anchor + block.offset

    def end(self, block: Block) -> int:
        return self.start(block) + len(block.rows)

    def get(self, row: int) -> Any | None:
        """The prepared row at `row`, or None when it is not loaded. O(1) for nearby rows."""
        block = self._last
        if block is None or not (self.start(block) <= row < self.end(block)):
            i = bisect.bisect_right(self._starts, row) - 1
            if i < 0:
                return None
            block = self._blocks[i]
            if row >= self.end(block):
                return None
            self._last = block
        self._tick += 1
        block.used = self._tick
        return block.rows[row - self.start(block)]

    @property
    def loaded_rows(self) -> int:
        return sum(len(b.rows) for b in self._blocks)

    def reaches_end(self) -> bool:
        """Is there a known last row? (the bottom chain, or a block that saw the end)"""
        return any(b.at_end for b in self._blocks)

    def top_needs_more(self) -> bool:
        """The top chain fills every row counted, but the database holds more."""
        return any(
            b.chain.kind == "top" and not b.at_end and self.end(b) >= self.row_count
            for b in self._blocks
        )

    # --- planning ------------------------------------------------------------------------
    def plan(self, row: int) -> Request | None:
        """The one fetch that fills missing `row` (None: nothing to fetch there)."""
        if not 0 <= row < self.row_count:
            return None
        i = bisect.bisect_right(self._starts, row)
        prev = self._blocks[i - 1] if i > 0 else None
        nxt = self._blocks[i] if i < len(self._blocks) else None
        page = self.page_size
        if prev is not None and row - self.end(prev) < page:
            if prev.at_end:
                return None
            lo = self.end(prev)
            return Request(
                "after", (lo, lo + page), prev.chain, prev.offset + len(prev.rows), prev.last
            )
        if nxt is not None and self.start(nxt) - row <= page:
            if nxt.at_start:
                return None
            hi = self.start(nxt)
            return Request("before", (max(0, hi - page), hi), nxt.chain, nxt.offset, nxt.first)
        if row < page:
            return Request("first", (0, page))
        if row >= self.row_count - page:
            return Request("last", (max(0, self.row_count - page), self.row_count))
        return Request("seek", (row, row + page), fraction=row / self.row_count)

    # --- filling -------------------------------------------------------------------------
    def insert(self, request: Request, page: Page, rows: list[Any]) -> bool:
        """Place a fetched page. False when it no longer fits (its chain was dropped meanwhile)."""
        if not rows:
            self._note_empty(request, page)
            return False
        chain, offset = self._placement(request, len(rows))
        if chain is None:
            return False
        assert page.first is not None and page.last is not None
        block = Block(chain, offset, rows, page.first, page.last, page.at_start, page.at_end)
        self._blocks.append(block)
        self._settle_ends(block)
        self._reindex()
        if block in self._blocks:
            self._join(block, page)
        self._evict(keep=block)
        return block in self._blocks

    def _placement(self, request: Request, n: int) -> tuple[Chain | None, int]:
        chains = {b.chain for b in self._blocks}
        if request.kind in ("after", "before"):
            if request.chain not in chains:
                return None, 0
            offset = request.offset if request.kind == "after" else request.offset - n
            return request.chain, offset
        if request.kind == "first":
            return Chain("top"), 0
        if request.kind == "last":
            return Chain("bottom"), -n
        return Chain("seek", anchor=request.rows[0]), 0

    def _note_empty(self, request: Request, page: Page) -> None:
        """Nothing after (or before) a block: that block is the end (or the start)."""
        if request.kind == "last":
            self.row_count, self.exact = 0, True
        for b in list(self._blocks):
            if b.chain is not request.chain:
                continue
            if request.kind == "after" and b.offset + len(b.rows) == request.offset:
                b.at_end = True
                self._settle_ends(b)
            elif request.kind == "before" and b.offset == request.offset:
                b.at_start = True
                self._settle_ends(b)
        self._reindex()

    def _settle_ends(self, block: Block) -> None:
        """A block that saw the start or the end pins its chain there, and may fix the count."""
        chain = block.chain
        if block.at_end and chain.kind == "top":
            self.row_count, self.exact = chain.anchor + block.offset + len(block.rows), True
        elif block.at_start and chain.kind == "bottom":
            self.row_count, self.exact = -block.offset, True
        elif block.at_start and chain.kind == "seek":
            self._rebase(chain, "top", -block.offset)
        elif block.at_end and chain.kind == "seek":
            self._rebase(chain, "bottom", -(block.offset + len(block.rows)))

    def _rebase(self, chain: Chain, kind: ChainKind, shift: int) -> None:
        self._drop(lambda b: b.chain is not chain and b.chain.kind == kind)
        for b in self._blocks:
            if b.chain is chain:
                b.offset += shift
        chain.kind, chain.anchor = kind, 0

    def _join(self, block: Block, page: Page) -> None:
        """Merge with a neighbouring chain that continues exactly, drop one that does not."""
        lo, hi = self.start(block), self.end(block)
        for other in list(self._blocks):
            if other.chain is block.chain or other not in self._blocks:
                continue
            o_lo, o_hi = self.start(other), self.end(other)
            if o_hi < lo or o_lo > hi:
                continue
            joined = (
                o_lo == hi and page.key_after is not None and page.key_after == other.first.key
            ) or (o_hi == lo and page.key_before is not None and page.key_before == other.last.key)
            if joined:
                self._merge(block.chain, other.chain)
            else:  # overlapping, or touching without continuing: one of them is misplaced
                loser = other.chain if block.chain.outranks(other.chain) else block.chain
                self._drop(lambda b, loser=loser: b.chain is loser)
            if block not in self._blocks:
                return

    def _merge(self, a: Chain, b: Chain) -> None:
        keep, gone = (a, b) if a.outranks(b) else (b, a)
        for blk in self._blocks:
            if blk.chain is gone:
                absolute = self.start(blk)
                blk.chain = keep
                blk.offset = absolute - (self.row_count if keep.kind == "bottom" else keep.anchor)
        self._reindex()

    def _drop(self, doomed: Any) -> None:
        self._blocks = [b for b in self._blocks if not doomed(b)]
        self._reindex()

    def _evict(self, *, keep: Block) -> None:
        """Forget the least recently read blocks beyond `max_rows` (memory flat in table size)."""
        while self.loaded_rows > self.max_rows and len(self._blocks) > 1:
            victim = min((b for b in self._blocks if b is not keep), key=lambda b: b.used)
            self._blocks.remove(victim)
        self._reindex()

    def set_count(self, rows: int, *, exact: bool) -> None:
        self.row_count, self.exact = rows, exact
        self._drop(lambda b: self.start(b) < 0 or self.start(b) >= rows)

    def _reindex(self) -> None:
        self._blocks.sort(key=self.start)
        self._starts = [self.start(b) for b in self._blocks]
        self._last = None
