"""Export what a table shows (every row matching its query, not only the rows loaded) to CSV or XLSX.

Rows are streamed from a server-side cursor in chunks and written as they come, so memory stays
flat; the file appears only when complete (written beside it, then renamed), and a cancelled or
failed export leaves no file behind. Text that a spreadsheet would run as a formula is escaped.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from backoffice.errors import BackofficeError, ValidationError
from backoffice.services.browse import BrowseQuery, Browser, SourceColumn

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")


class ExportCancelled(BackofficeError):
    """The person cancelled the export."""

    def __init__(self) -> None:
        super().__init__("The export was cancelled; no file was written.")


def export_view(
    browser: Browser, query: BrowseQuery, path: str | os.PathLike[str], *,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    chunk_size: int = 2_000,
) -> int:
    """Write every row of `browser.source` matching `query` to `path` (.csv or .xlsx); the row count.

    Permission: the source's (checked by the read). Read only, no audit event.
    Raises PermissionDenied, ValidationError (unknown format), ExportCancelled.
    """
    target = Path(path)
    kind = target.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValidationError("Export to a file ending in .csv or .xlsx.")
    columns = browser.columns
    chunks = browser.stream(query, chunk_size=chunk_size)
    try:
        with _atomic(target) as temporary:
            writer = _write_csv if kind == "csv" else _write_xlsx
            return writer(temporary, columns, _watched(chunks, progress, cancelled))
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


def _watched(chunks: Iterator[tuple[tuple[Any, ...], ...]], progress: Callable[[int], None] | None,
             cancelled: Callable[[], bool] | None) -> Iterator[tuple[Any, ...]]:
    written = 0
    for chunk in chunks:
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        yield from chunk
        written += len(chunk)
        if progress is not None:
            progress(written)
    if cancelled is not None and cancelled():
        raise ExportCancelled()


@contextmanager
def _atomic(target: Path) -> Iterator[Path]:
    descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        with suppress(FileNotFoundError):
            temporary.unlink()


def escape_formula(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_TRIGGERS) else text


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return escape_formula(value)
    return format(value, "f") if hasattr(value, "is_nan") else str(value)  # Decimal: "1234.50"


def _write_csv(path: Path, columns: tuple[SourceColumn, ...], rows: Iterator[tuple[Any, ...]]) -> int:
    count = 0
    # The byte-order mark makes spreadsheet programs read accented names correctly.
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow([escape_formula(c.label) for c in columns])
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
            count += 1
    return count


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return escape_formula(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)  # spreadsheets hold local wall-clock time
    return value


def _write_xlsx(path: Path, columns: tuple[SourceColumn, ...], rows: Iterator[tuple[Any, ...]]) -> int:
    from openpyxl import Workbook  # imported here: only an export needs it
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Export")
    sheet.append([c.label for c in columns])
    formats = {"money": "#,##0.00", "datetime": "yyyy-mm-dd hh:mm", "date": "yyyy-mm-dd"}
    count = 0
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
            if column.kind in formats:
                cell.number_format = formats[column.kind]
            cells.append(cell)
        sheet.append(cells)
        count += 1
    book.save(path)
    return count
