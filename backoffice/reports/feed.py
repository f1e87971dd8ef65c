"""Pull a table's rows chunk by chunk, reporting progress, honouring cancel, summing totals."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import cast

import pandas as pd

from backoffice.reports.formatting import Formatter, is_missing
from backoffice.reports.spec import (
    CancelCheck,
    Column,
    ProgressCallback,
    ReportCancelled,
    TableData,
    TableSection,
)

# A DataFrame handed over whole is still walked in slices, so that cancel is noticed
# and progress moves during a big table, not only between tables.
SLICE_ROWS = 2_000


class Monitor:
    """One rendering's progress counter and cancel check, shared by all its tables."""

    def __init__(
        self, progress: ProgressCallback | None = None, cancelled: CancelCheck | None = None
    ) -> None:
        self.rows_done = 0
        self._progress = progress
        self._cancelled = cancelled

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise ReportCancelled("The report was cancelled.")

    def advance(self, rows: int) -> None:
        self.rows_done += rows
        if self._progress is not None:
            self._progress(self.rows_done)


def iter_chunks(data: TableData) -> Iterator[pd.DataFrame]:
    if isinstance(data, pd.DataFrame):
        for start in range(0, len(data), SLICE_ROWS):
            yield data.iloc[start : start + SLICE_ROWS]
        return
    yield from (data() if callable(data) else data)


def monitored_chunks(section: TableSection, monitor: Monitor) -> Iterator[pd.DataFrame]:
    """The section's chunks; progress counts a chunk once its consumer asks for the next one."""
    for chunk in iter_chunks(section.data):
        monitor.check()
        _require_columns(section, chunk)
        yield chunk
        monitor.advance(len(chunk))
    monitor.check()


def column_values(chunk: pd.DataFrame, columns: Sequence[Column]) -> list[list[object]]:
    """Plain Python values per column (Decimal stays Decimal, int64 becomes int)."""
    return [chunk[c.key].tolist() for c in columns]


def row_currencies(chunk: pd.DataFrame) -> list[str | None]:
    """Each row's currency, from the chunk's `currency` column (None without one): a money column
    that names no currency of its own is in its row's."""
    if "currency" not in chunk.columns:
        return [None] * len(chunk)
    return [c if isinstance(c, str) else None for c in chunk["currency"].tolist()]


class Totals:
    """Running sums of the int and money columns, exact (Decimal) whatever the row count."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self._columns = list(columns)
        self.sums: list[Decimal | int | None] = [
            (Decimal(0) if c.kind == "money" else 0) if c.summable else None for c in columns
        ]

    def add(self, values: list[list[object]]) -> None:
        for i, column_values_ in enumerate(values):
            total = self.sums[i]
            if total is not None:  # summable columns hold Decimal or int (Column.summable)
                present = cast("list[Decimal]", [v for v in column_values_ if not is_missing(v)])
                self.sums[i] = total + sum(present)

    def row(self, label: str, formatters: Sequence[Formatter]) -> list[str]:
        pairs = zip(formatters, self.sums, strict=True)
        cells = [fmt(total) if total is not None else "" for fmt, total in pairs]
        label_at = next((i for i, s in enumerate(self.sums) if s is None), None)
        if label_at is not None:  # when every column is summed there is no room for a label
            cells[label_at] = label
        return cells


class RowSource:
    """Formatted rows of one table, buffered only as far as the next page needs."""

    def __init__(
        self, section: TableSection, formatters: Sequence[Formatter], monitor: Monitor
    ) -> None:
        self.section = section
        self.formatters = list(formatters)
        self.totals = Totals(section.columns) if section.totals else None
        self.rows_taken = 0
        self._chunks = monitored_chunks(section, monitor)
        self._buffer: deque[tuple[str, ...]] = deque()
        self._exhausted = False

    def peek(self, count: int) -> list[tuple[str, ...]]:
        """Up to count upcoming rows, without consuming them."""
        while len(self._buffer) < count and not self._exhausted:
            self._pull()
        return [self._buffer[i] for i in range(min(count, len(self._buffer)))]

    def take(self, count: int) -> list[tuple[str, ...]]:
        rows = self.peek(count)
        for _ in rows:
            self._buffer.popleft()
        self.rows_taken += len(rows)
        return rows

    def exhausted_within(self, count: int) -> bool:
        """True when at most count rows remain."""
        return len(self.peek(count + 1)) <= count

    def totals_row(self) -> list[str] | None:
        if self.totals is None:
            return None
        return self.totals.row(self.section.totals_label, self.formatters)

    def _pull(self) -> None:
        chunk = next(self._chunks, None)
        if chunk is None:
            self._exhausted = True
            return
        values = column_values(chunk, self.section.columns)
        if self.totals is not None:
            self.totals.add(values)
        pairs = zip(self.formatters, values, strict=True)
        formatted = [[fmt(v) for v in column] for fmt, column in pairs]
        self._buffer.extend(zip(*formatted, strict=True))


def _require_columns(section: TableSection, chunk: pd.DataFrame) -> None:
    missing = [c.key for c in section.columns if c.key not in chunk.columns]
    if missing:
        raise ValueError(f"Table {section.title!r} has no column {', '.join(map(repr, missing))}.")
