"""Helpers for the report tests: a period with data, running a report as a demo login, and reading
PDFs, CSVs and workbooks back into numbers (Decimal, never float)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from backoffice.services.reports import ReportResult, run_report

_MONEY = re.compile(r"(-?)(?:[A-Z]{3} |[^\d\s,.()-])?(\d[\d,]*\.\d{2})\b")


def quarter_before(connection: Any) -> tuple[dt.date, dt.date]:
    """The three whole months before the clinic's current month (the demo has data there)."""
    today: dt.date = connection.execute(
        sa.text("SELECT CAST(now() AT TIME ZONE 'Asia/Kolkata' AS date)")
    ).scalar_one()
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = (end.replace(day=1) - dt.timedelta(days=32)).replace(day=1)
    return start, end


def run(
    ctx: Any, name: str, path: Path, period: tuple[dt.date, dt.date], **kwargs: Any
) -> ReportResult:
    """Run `name` as the staff context's login into `path`."""
    return run_report(
        ctx.uow,
        ctx.actor,
        name=name,
        period_from=period[0],
        period_to=period[1],
        path=path,
        **kwargs,
    )


def sql(ctx: Any, query: str, **params: Any) -> list[Any]:
    """The test's own SQL, on the same connection (same login, same transaction)."""
    return list(ctx.connection.execute(sa.text(query), params))


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path, strict=True).pages]


def pdf_lines(path: Path) -> list[str]:
    return [line.strip() for page in pdf_pages(path) for line in page.splitlines()]


def amounts(line: str) -> list[Decimal]:
    """The money amounts of one line of PDF text ("₹1,500.00", "-SGD 20.00", "1,234.50")."""
    return [Decimal(sign + digits.replace(",", "")) for sign, digits in _MONEY.findall(line)]


def total_line(lines: list[str], caption: str) -> str:
    """The totals row of the table titled `caption` (the first "Total" line after it)."""
    start = lines.index(caption)
    return next(line for line in lines[start + 1 :] if line.startswith("Total"))


def first_int(line: str) -> int:
    """The first whole number after the label ("Total 2,368 ₹5,413.00" -> 2368)."""
    match = re.search(r"\s(\d[\d,]*)(?=\s)", line)
    assert match is not None, line
    return int(match.group(1).replace(",", ""))


def csv_tables(path: Path) -> dict[str, list[dict[str, str]]]:
    """Every table of a CSV report, by title (a single table is called "")."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    tables: dict[str, list[dict[str, str]]] = {}
    blocks: list[list[list[str]]] = [[]]
    for row in rows:
        if row:
            blocks[-1].append(row)
        else:
            blocks.append([])
    for block in blocks:
        title = block[0][0] if len(block[0]) == 1 and len(block) > 1 else ""
        header, *body = block[1:] if title else block
        tables[title] = [dict(zip(header, row, strict=True)) for row in body]
    return tables


def xlsx_tables(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every worksheet after the "Report" summary, as rows of header -> value."""
    book = load_workbook(path, read_only=True)
    tables = {}
    for sheet in book.worksheets:
        if sheet.title == "Report":
            continue
        header, *body = [list(row) for row in sheet.iter_rows(values_only=True)]
        tables[sheet.title] = [dict(zip(header, row, strict=True)) for row in body]
    book.close()
    return tables


def exact(value: Any) -> Decimal:
    """A spreadsheet number as the Decimal it was written from (two places)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))
