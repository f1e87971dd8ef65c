"""Export what a table shows (every row matching its query, not only the rows loaded) to CSV or XLSX.

Rows are streamed from a server-side cursor in chunks and handed to the report writers
(`backoffice.reports`) as DataFrame chunks, so memory stays flat; the writers escape spreadsheet
formulas, keep Decimals, and write to a temporary file renamed when complete, so a cancelled
or failed export leaves no file behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backoffice.errors import BackofficeError, ValidationError
from backoffice.services.audit_words import describe_event_value
from backoffice.services.browse.browser import Browser
from backoffice.services.browse.types import BrowseQuery, SourceColumn

if TYPE_CHECKING:
    import pandas as pd

    from backoffice.reports import ColumnKind, TableSection

FORMATS = ("csv", "xlsx")
_REPORT_KINDS: dict[str, ColumnKind] = {
    "text": "text",
    "id": "id",
    "int": "int",
    "money": "money",
    "date": "date",
    "datetime": "datetime",
    "bool": "text",
    "timing": "text",
    "event": "text",
}
# Values written as text before they reach the file: an audit event as its sentence.
_AS_TEXT: dict[str, Callable[[Any], str]] = {"event": describe_event_value}


class ExportCancelled(BackofficeError):
    """The person cancelled the export."""

    def __init__(self) -> None:
        super().__init__("The export was cancelled; no file was written.")


def export_view(
    browser: Browser,
    query: BrowseQuery,
    path: str | os.PathLike[str],
    *,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    chunk_size: int = 2_000,
) -> int:
    """Write every row of `browser.source` matching `query` to `path` (.csv or .xlsx); the row count.

    Permission: the source's (checked by the read). Read only, no audit event.
    Raises PermissionDenied, ValidationError (unknown format), ExportCancelled.
    """
    # Imported here: pandas and the writers are needed by an export, not to open the window.
    from backoffice.reports import ReportCancelled, write_csv, write_xlsx

    target = Path(path)
    kind = _format_of(target)
    columns = browser.columns
    chunks = browser.stream(query, chunk_size=chunk_size)
    written = [0]
    section = _section(browser.source.title, columns, _frames(chunks, columns, written))
    writer = write_csv if kind == "csv" else write_xlsx
    try:
        writer(section, target, progress=progress, cancelled=cancelled)
    except ReportCancelled:
        raise ExportCancelled() from None
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # ends the server-side cursor and its unit of work now, not at collection
    return written[0]


def _format_of(target: Path) -> str:
    kind = target.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValidationError("Export to a file ending in .csv or .xlsx.")
    return kind


def _section(
    title: str, columns: tuple[SourceColumn, ...], frames: Iterator[pd.DataFrame]
) -> TableSection:
    """The rows as a report table, each column printed as its kind is."""
    from backoffice.reports import Column, TableSection

    report_columns = [Column(c.name, c.label, _REPORT_KINDS[c.kind]) for c in columns]
    return TableSection(title, report_columns, frames, empty_text="No rows.")


def _frames(
    chunks: Iterator[tuple[tuple[Any, ...], ...]],
    columns: tuple[SourceColumn, ...],
    written: list[int],
) -> Iterator[pd.DataFrame]:
    import pandas as pd

    names = [c.name for c in columns]
    texts = [(i, _AS_TEXT[c.kind]) for i, c in enumerate(columns) if c.kind in _AS_TEXT]
    for chunk in chunks:
        rows = [_with_texts(row, texts) for row in chunk] if texts else list(chunk)
        # object dtype: Decimals stay Decimal, a NULL in an int column stays None (not NaN).
        yield pd.DataFrame(rows, columns=names, dtype=object)
        written[0] += len(chunk)


def _with_texts(
    row: tuple[Any, ...], texts: list[tuple[int, Callable[[Any], str]]]
) -> tuple[Any, ...]:
    values = list(row)
    for index, as_text in texts:
        if values[index] is not None:
            values[index] = as_text(values[index])
    return tuple(values)
