"""write_csv and write_xlsx: the same tables as the PDF, for spreadsheets, safe to open."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import chain
from pathlib import Path

import pandas as pd

from backoffice.reports.atomic import atomic_output
from backoffice.reports.feed import Monitor, column_values, monitored_chunks, row_currencies
from backoffice.reports.formatting import (
    Formatter,
    escape_formula,
    is_missing,
    plain_formatter,
    plain_money,
)
from backoffice.reports.spec import (
    CancelCheck,
    Column,
    ColumnKind,
    KeyFiguresSection,
    ProgressCallback,
    ReportDocument,
    Section,
    TableSection,
)
from backoffice.reports.xlsx import write_workbook

# A list or tuple holds several tables; any other iterable is the chunks of one table.
Tables = Sequence[Section | pd.DataFrame] | Section | pd.DataFrame | Iterable[pd.DataFrame]


def infer_columns(frame: pd.DataFrame, *, currency: str | None = None) -> tuple[Column, ...]:
    """Columns for a bare DataFrame, the kind guessed from its dtypes and first values."""
    return tuple(
        Column(str(key), str(key), kind, currency if kind == "money" else None)
        for key, kind in ((k, _infer_kind(frame[k])) for k in frame.columns)
    )


def _infer_kind(series: pd.Series) -> ColumnKind:
    if pd.api.types.is_integer_dtype(series.dtype):
        return "int"
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return "datetime"
    sample = next((v for v in series.tolist() if not is_missing(v)), None)
    if isinstance(sample, Decimal):
        return "money"
    if isinstance(sample, datetime):
        return "datetime"
    return "date" if isinstance(sample, date) else "text"


def _items(tables: Tables) -> list[Section | pd.DataFrame]:
    if isinstance(tables, pd.DataFrame | Section):
        return [tables]
    if isinstance(tables, Sequence):
        return list(tables)
    chunks = iter(tables)
    first = next(chunks, None)
    if first is None:
        return []
    return [TableSection("Table 1", infer_columns(first), chain([first], chunks))]


def table_sections(tables: Tables) -> list[TableSection]:
    """The table sections among tables; bare DataFrames become sections of their own."""
    sections = []
    for n, item in enumerate(_items(tables), start=1):
        if isinstance(item, pd.DataFrame):
            item = TableSection(f"Table {n}", infer_columns(item), item)
        if isinstance(item, TableSection):
            sections.append(item)
    return sections


def write_csv(
    tables: Tables,
    path: str | os.PathLike[str],
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
    encoding: str = "utf-8-sig",
) -> Path:
    """Write the table(s) as CSV: plain numbers, money with its currency's decimals ("1234.50",
    JPY "1500"), ISO dates, no totals row.

    Several tables follow one another, each under its title and separated by a blank line.
    The default UTF-8 byte-order mark is what makes Excel read accented names correctly.
    """
    sections = table_sections(tables)
    monitor = Monitor(progress, cancelled)
    with atomic_output(path) as temporary, open(temporary, "w", newline="", encoding=encoding) as f:
        writer = csv.writer(f)
        for n, section in enumerate(sections):
            if n > 0:
                writer.writerow([])
            if len(sections) > 1:
                writer.writerow([escape_formula(section.title)])
            writer.writerow([escape_formula(_csv_label(c)) for c in section.columns])
            writer.writerows(_csv_rows(section, monitor))
    return Path(path)


def _csv_label(column: Column) -> str:
    # The symbol is gone from the numbers, so the header keeps the currency.
    if column.kind == "money" and column.currency and column.currency not in column.label:
        return f"{column.label} ({column.currency})"
    return column.label


def _csv_rows(section: TableSection, monitor: Monitor) -> Iterator[list[str]]:
    columns = section.columns
    formatters: list[Formatter] = [plain_formatter(c) for c in columns]
    for chunk in monitored_chunks(section, monitor):
        values = column_values(chunk, columns)
        for row, currency in zip(zip(*values, strict=True), row_currencies(chunk), strict=True):
            yield [
                _csv_cell(c, fmt, v, currency)
                for c, fmt, v in zip(columns, formatters, row, strict=True)
            ]


def _csv_cell(column: Column, fmt: Formatter, value: object, currency: str | None) -> str:
    if column.kind == "money" and not is_missing(value):
        return plain_money(value, column.currency or currency)
    text = fmt(value)
    return escape_formula(text) if isinstance(value, str) else text


def write_xlsx(
    tables: Tables,
    path: str | os.PathLike[str],
    *,
    document: ReportDocument | None = None,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """Write one worksheet per table, streaming (openpyxl write-only mode), with totals rows.

    Money cells are numbers with a currency format, so spreadsheets can sum them. With a
    document, a first sheet "Report" holds its title, period, filters and key figures.
    """
    items = _items(tables)
    figures = [f for s in items if isinstance(s, KeyFiguresSection) for f in s.figures]
    with atomic_output(path) as temporary:
        write_workbook(
            temporary, table_sections(items), document, figures, Monitor(progress, cancelled)
        )
    return Path(path)
