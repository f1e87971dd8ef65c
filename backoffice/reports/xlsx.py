"""The XLSX workbook: one streamed worksheet per table, numbers kept numeric, text escaped.

Money cells are numbers with exactly their currency's decimals and a currency number format
(`"₹"#,##0.00`, `"JPY "#,##0`); in a table of several currencies each cell takes its row's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from backoffice.reports.feed import (
    Monitor,
    Totals,
    column_values,
    monitored_chunks,
    row_currencies,
)
from backoffice.reports.formatting import currency_prefix, escape_formula, is_missing
from backoffice.reports.spec import Column, KeyFigure, ReportDocument, TableSection
from backoffice.values import currency_decimals, money_amount

_FORMATS = {
    "id": "0",
    "int": "#,##0",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
_WIDTHS = {"text": 28, "id": 10, "int": 10, "money": 15, "percent": 9, "date": 11, "datetime": 17}
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E3F0F2")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# (value, the row's currency) -> the cell
CellMaker = Callable[[object, str | None], object]


def write_workbook(
    path: Path,
    sections: Sequence[TableSection],
    document: ReportDocument | None,
    figures: Sequence[KeyFigure],
    monitor: Monitor,
) -> None:
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    try:
        if document is not None:
            _write_summary(workbook.create_sheet(_sheet_name("Report", used)), document, figures)
        for section in sections:
            _write_table(workbook.create_sheet(_sheet_name(section.title, used)), section, monitor)
        if not workbook.worksheets:
            workbook.create_sheet("Report")  # a workbook must have at least one sheet
        workbook.save(path)
    except BaseException:
        _discard(workbook)
        raise


def _discard(workbook: Workbook) -> None:
    # A streamed sheet left open would write to its closed temporary file when garbage
    # collected; close it, and delete its temporary file now rather than at exit.
    for sheet in workbook.worksheets:
        with suppress(Exception):
            if not sheet.closed:
                sheet.close()
        with suppress(Exception):
            sheet._writer.cleanup()


def _write_table(sheet: WriteOnlyWorksheet, section: TableSection, monitor: Monitor) -> None:
    columns = list(section.columns)
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = _WIDTHS[column.kind]
    sheet.freeze_panes = "A2"  # the header stays visible while scrolling
    sheet.append(
        [_styled(sheet, text_cell(c.label), font=_BOLD, fill=_HEADER_FILL) for c in columns]
    )
    makers = [_cell_maker(sheet, c) for c in columns]
    totals = Totals(columns) if section.totals else None
    for chunk in monitored_chunks(section, monitor):
        values = column_values(chunk, columns)
        if totals is not None:
            totals.add(values)
        for row, currency in zip(zip(*values, strict=True), row_currencies(chunk), strict=True):
            sheet.append([make(v, currency) for make, v in zip(makers, row, strict=True)])
    if totals is not None:
        sheet.append(_totals_row(sheet, section, totals))


def _totals_row(sheet: WriteOnlyWorksheet, section: TableSection, totals: Totals) -> list[Cell]:
    cells = [
        _styled(sheet, None, font=_BOLD)
        if total is None
        else _styled(
            sheet,
            money_amount(total, column.currency) if column.kind == "money" else total,
            number_format=_number_format(column, column.currency),
            font=_BOLD,
        )
        for column, total in zip(section.columns, totals.sums, strict=True)
    ]
    label_at = next((i for i, total in enumerate(totals.sums) if total is None), None)
    if label_at is not None:
        cells[label_at].value = text_cell(section.totals_label)
    return cells


def _cell_maker(sheet: WriteOnlyWorksheet, column: Column) -> CellMaker:
    if column.kind == "text":
        return lambda v, _currency: None if is_missing(v) else text_cell(v)
    if column.kind == "money":
        return lambda v, currency: _money_cell(sheet, v, column.currency or currency)
    number_format = _number_format(column, None)

    def make(value: object, _currency: str | None) -> object:
        if is_missing(value):
            return None
        return _styled(sheet, _excel_value(value), number_format=number_format)

    return make


def _money_cell(sheet: WriteOnlyWorksheet, value: object, currency: str | None) -> object:
    if is_missing(value):
        return None
    amount = money_amount(value, currency)  # type: ignore[arg-type]
    return _styled(sheet, amount, number_format=_money_format(currency))


def _number_format(column: Column, currency: str | None) -> str:
    if column.kind != "money":
        return _FORMATS[column.kind]
    return _money_format(column.currency or currency)


def _money_format(currency: str | None) -> str:
    """`"₹"#,##0.00` for INR, `"JPY "#,##0` for JPY, `#,##0.00` without a currency."""
    places = currency_decimals(currency)
    number = "#,##0" + ("." + "0" * places if places else "")
    prefix = currency_prefix(currency, lambda _: True)
    return f'"{prefix}"{number}' if prefix else number


def text_cell(value: object) -> object:
    """Numbers pass through; text loses XML-illegal characters and is escaped against formulas."""
    if not isinstance(value, str):
        return value
    return escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value))


def _excel_value(value: object) -> object:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones: keep the wall-clock time
    return text_cell(value)


def _styled(
    sheet: WriteOnlyWorksheet,
    value: object,
    *,
    number_format: str | None = None,
    font: Font | None = None,
    fill: PatternFill | None = None,
) -> Cell:
    cell = WriteOnlyCell(sheet, value)
    if number_format:
        cell.number_format = number_format
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    return cell


def _write_summary(
    sheet: WriteOnlyWorksheet, document: ReportDocument, figures: Sequence[KeyFigure]
) -> None:
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 48
    filters = "; ".join(f"{k}: {v}" for k, v in document.filters.items()) or "none"
    rows: list[tuple[str, object, str | None]] = [
        ("Report", document.title, None),
        ("Clinic", document.clinic_name, None),
        ("Period start", document.period_start, "yyyy-mm-dd"),
        ("Period end", document.period_end, "yyyy-mm-dd"),
        ("Filters", filters, None),
        ("Generated by", document.generated_by, None),
        ("Generated at", _excel_value(document.generated_at), "yyyy-mm-dd hh:mm"),
        ("Confidential", "Yes" if document.confidential else "No", None),
        *([("Audit trail", document.audit_anchor, None)] if document.audit_anchor else []),
    ]
    for label, value, number_format in rows:
        sheet.append(
            [
                _styled(sheet, label, font=_BOLD),
                _styled(sheet, text_cell(value), number_format=number_format),
            ]
        )
    if figures:
        sheet.append([])
        sheet.append([_styled(sheet, "Key figures", font=_BOLD)])
    for figure in figures:
        column = Column("figure", figure.label, figure.kind, figure.currency)
        sheet.append([text_cell(figure.label), _cell_maker(sheet, column)(figure.value, None)])


def _sheet_name(title: str, used: set[str]) -> str:
    base = _SHEET_NAME_FORBIDDEN.sub(" ", title).strip("' ")[:31] or "Table"
    name, n = base, 2
    while name.lower() in used:  # Excel compares sheet names without case
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name
