"""Shared pieces of the report builders: SQL results as DataFrames (Decimal kept), streamed chunks,
per-currency tables, durations in words.

No permission checks here: `run_report` checks before any builder runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.reports import Column, TableSection

CHUNK_ROWS = 5_000


def frame(uow: UnitOfWork, statement: sa.TextClause, params: dict[str, Any]) -> pd.DataFrame:
    """The whole result as a DataFrame of object dtype: Decimal stays Decimal, NULL stays None."""
    result = uow.session.execute(statement, params)
    return rows_frame(result.all(), list(result.keys()))


def stream_frames(
    uow: UnitOfWork,
    statement: sa.TextClause,
    params: dict[str, Any],
    *,
    chunk_rows: int = CHUNK_ROWS,
) -> Iterator[pd.DataFrame]:
    """The result in DataFrame chunks from a server-side cursor: memory stays flat."""
    # Per statement: Connection.execution_options() would change the connection for good,
    # and every later statement (the audit insert) would become a cursor too.
    options = {"stream_results": True, "max_row_buffer": chunk_rows}
    result = uow.session.execute(statement, params, execution_options=options)
    try:
        names = list(result.keys())
        for part in result.partitions(chunk_rows):
            yield rows_frame(part, names)
    finally:
        result.close()  # also when the renderer stops early (cancel): the cursor ends now


def rows_frame(rows: Sequence[Any], names: Sequence[str]) -> pd.DataFrame:
    """Rows as a DataFrame of object dtype, built column by column (five times faster than
    letting pandas walk the rows)."""
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in names]
    return pd.DataFrame(dict(zip(names, columns, strict=True)), dtype=object)


def currencies(data: pd.DataFrame, count: str = "payments") -> list[str]:
    """The currencies in data, the one with the most payments first (then by code): amounts in
    different currencies cannot be compared."""
    if data.empty:
        return []
    counts = dict(zip(data["currency"].tolist(), data[count].tolist(), strict=True))
    return sorted(counts, key=lambda c: (-counts[c], c))


def per_currency_columns(columns: Sequence[Column], currency: str | None) -> list[Column]:
    """The columns with their money columns shown in `currency` (None: plain numbers)."""
    return [
        Column(c.key, c.label, c.kind, currency, c.total) if c.kind == "money" else c
        for c in columns
    ]


def money_table(
    title: str, columns: Sequence[Column], data: pd.DataFrame, *, empty_text: str
) -> TableSection:
    """A table whose rows carry a `currency`: with one currency it is shown and totalled;
    with several, amounts are plain numbers beside their currency and not added up."""
    found = sorted(set(data["currency"])) if "currency" in data and not data.empty else []
    single = found[0] if len(found) == 1 else None
    shown = per_currency_columns(columns, single)
    totals = single is not None and any(c.summable for c in columns)
    return TableSection(title, shown, data, totals=totals, empty_text=empty_text)


def column_total(data: pd.DataFrame, key: str) -> int:
    """The sum of a column of whole numbers; 0 when there are no rows."""
    return int(sum(data[key])) if not data.empty else 0


def median_duration(seconds: Iterable[int | None], *, none: str) -> str | None:
    """The median of the known durations in words (the upper one of an even count), else `none`."""
    known = sorted(s for s in seconds if s is not None)
    return duration_text(known[len(known) // 2]) if known else none


def duration_text(seconds: int | None) -> str | None:
    """A duration for people: "45 min", "5 h 20 min", "3 d 4 h"."""
    if seconds is None or pd.isna(seconds):
        return None
    minutes = max(0, int(seconds)) // 60
    days, hours, minutes = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
