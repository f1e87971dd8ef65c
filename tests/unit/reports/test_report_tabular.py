"""CSV and XLSX: the same data as the PDF, Decimals exact, formulas escaped."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from backoffice.reports import (
    Column,
    KeyFigure,
    KeyFiguresSection,
    ReportCancelled,
    TableSection,
    infer_columns,
    write_csv,
    write_xlsx,
)

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "Asha"]
AMOUNTS = [
    Decimal("1234.50"),
    Decimal("-5.00"),
    Decimal("0.10"),
    Decimal("1E+3"),
    Decimal("12345678901234.56"),
    Decimal("-0.01"),
    Decimal("7"),
]
COLUMNS = (
    Column("client", "Client"),
    Column("amount", "Amount", "money", "INR"),
    Column("day", "Day", "date"),
)


@pytest.fixture
def hostile() -> pd.DataFrame:
    return pd.DataFrame(
        {"client": HOSTILE, "amount": AMOUNTS, "day": [date(2024, 4, d) for d in range(1, 8)]}
    )


def read_csv(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


ANCHOR = (
    f"Audit trail: event 12 (30 Nov 2026, 04:39 IST), sha256:{'ab' * 32}, 12 events in the chain."
)


def test_csv_keeps_money_exact_and_plain_with_the_currencys_decimals(hostile, tmp_path):
    write_csv(TableSection("Payments", COLUMNS, hostile), tmp_path / "r.csv")
    header, *rows = read_csv(tmp_path / "r.csv")
    assert header == ["Client", "Amount (INR)", "Day"]
    assert [r[1] for r in rows] == [
        "1234.50",
        "-5.00",
        "0.10",
        "1000.00",
        "12345678901234.56",
        "-0.01",
        "7.00",
    ]
    assert [Decimal(r[1]) for r in rows] == AMOUNTS
    assert rows[0][2] == "2024-04-01"


def test_csv_escapes_formula_text_but_not_numbers(hostile, tmp_path):
    write_csv(TableSection("Payments", COLUMNS, hostile), tmp_path / "r.csv")
    _, *rows = read_csv(tmp_path / "r.csv")
    assert [r[0] for r in rows] == ["'" + t for t in HOSTILE[:-1]] + ["Asha"]
    assert rows[1][1] == "-5.00"  # a negative amount is a number, not a formula


def test_csv_writes_several_tables_under_their_titles(payments, tmp_path):
    frames = [
        TableSection("First", infer_columns(payments(2)), payments(2)),
        TableSection("Second", infer_columns(payments(1)), payments(1)),
    ]
    write_csv(frames, tmp_path / "r.csv")
    rows = read_csv(tmp_path / "r.csv")
    assert rows[0] == ["First"]
    assert rows[4] == []
    assert rows[5] == ["Second"]
    assert len(rows) == 8


def test_xlsx_money_cells_are_exact_numbers_with_the_currency(hostile, tmp_path):
    write_xlsx(TableSection("Payments", COLUMNS, hostile), tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Payments"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert all(isinstance(c.value, int | float) for c in cells)
    # Spreadsheets hold doubles: exact up to 15 significant digits, as every amount but one here.
    for cell, amount in zip(cells, AMOUNTS, strict=True):
        if len(amount.as_tuple().digits) <= 15:
            assert Decimal(str(cell.value)) == amount
    assert cells[0].number_format == '"₹"#,##0.00'
    assert sheet.cell(2, 3).value == datetime(2024, 4, 1)


MIXED = pd.DataFrame(
    {
        "currency": ["INR", "JPY", "KWD", "INR"],
        "amount": [
            Decimal("2014500.0000000000000000"),
            Decimal("1500"),
            Decimal("12.5"),
            Decimal("165500"),
        ],
    },
    dtype=object,
)
MIXED_COLUMNS = (Column("currency", "Currency"), Column("amount", "Amount", "money"))


def test_csv_money_of_several_currencies_has_each_rows_decimals(tmp_path):
    write_csv(TableSection("Revenue", MIXED_COLUMNS, MIXED), tmp_path / "r.csv")
    _, *rows = read_csv(tmp_path / "r.csv")
    assert [r[1] for r in rows] == ["2014500.00", "1500", "12.500", "165500.00"]


def test_xlsx_money_of_several_currencies_has_each_rows_format_and_decimals(tmp_path):
    write_xlsx(TableSection("Revenue", MIXED_COLUMNS, MIXED), tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Revenue"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [c.number_format for c in cells] == [
        '"₹"#,##0.00',
        '"JPY "#,##0',
        '"KWD "#,##0.000',
        '"₹"#,##0.00',
    ]
    assert [c.value for c in cells] == [2014500, 1500, 12.5, 165500]
    assert all(isinstance(c.value, int | float) for c in cells)


def test_xlsx_escapes_formula_text_but_not_numbers(hostile, tmp_path):
    write_xlsx(TableSection("Payments", COLUMNS, hostile), tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Payments"]
    texts = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in texts)
    # XML reads a carriage return back as a line feed; the quote in front is what matters.
    expected = ["'" + t.replace("\r", "\n") for t in HOSTILE[:-1]] + ["Asha"]
    assert [c.value for c in texts] == expected
    assert sheet.cell(3, 2).value == -5


def test_xlsx_streams_chunks_and_adds_a_bold_totals_row(payment_chunks, payment_columns, tmp_path):
    seen: list[int] = []
    table = TableSection("Ledger", payment_columns, payment_chunks(2_500), totals=True)
    write_xlsx([table], tmp_path / "r.xlsx", progress=seen.append)
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Ledger"]
    assert sheet.max_row == 1 + 2_500 + 1
    total = sheet.cell(sheet.max_row, 4)
    expected = sum((c["amount"].sum() for c in payment_chunks(2_500)), Decimal(0))
    assert Decimal(str(total.value)) == expected
    assert sheet.cell(sheet.max_row, 1).value == "Total" and total.font.bold
    assert seen == [1_000, 2_000, 2_500]


def test_xlsx_report_sheet_describes_the_document(document, payments, payment_columns, tmp_path):
    figures = KeyFiguresSection([KeyFigure("Collected", Decimal("99.50"), "money", "INR")])
    table = TableSection("Payments", payment_columns, payments(3))
    write_xlsx([figures, table], tmp_path / "r.xlsx", document=document)
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["Report", "Payments"]
    values = {row[0].value: row[1].value for row in book["Report"].iter_rows() if len(row) > 1}
    assert values["Report"] == "Payments by therapist"
    assert values["Period start"] == datetime(2024, 4, 1)
    assert values["Filters"] == "Therapist: Asha Rao; Status: paid"
    assert values["Collected"] == 99.5
    assert "Audit trail" not in values


def test_xlsx_report_sheet_carries_the_audit_trails_anchor(
    document, payments, payment_columns, tmp_path
):
    anchored = replace(document, audit_anchor=ANCHOR)
    table = TableSection("Payments", payment_columns, payments(1))
    write_xlsx([table], tmp_path / "r.xlsx", document=anchored)
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Report"]
    assert {row[0].value: row[1].value for row in sheet.iter_rows()}["Audit trail"] == ANCHOR


@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_cancelled_export_leaves_no_file(writer, payment_chunks, payment_columns, tmp_path):
    table = TableSection("Ledger", payment_columns, payment_chunks(5_000))
    seen: list[int] = []
    with pytest.raises(ReportCancelled):
        writer(table, tmp_path / "out", progress=seen.append, cancelled=lambda: len(seen) >= 1)
    assert list(tmp_path.iterdir()) == []


def test_an_iterator_of_chunks_is_one_table(payment_chunks, tmp_path):
    write_csv(payment_chunks(2_500), tmp_path / "r.csv")
    header, *rows = read_csv(tmp_path / "r.csv")
    assert header == ["reference", "client", "sessions", "amount"]
    assert len(rows) == 2_500
    assert rows[-1][0] == "PAY-002499"


def test_bare_dataframes_get_columns_from_their_values(tmp_path):
    frame = pd.DataFrame(
        {
            "n": [1, 2],
            "amount": [Decimal("1.50"), None],
            "when": [datetime(2024, 1, 1, 9), datetime(2024, 1, 2)],
            "day": [date(2024, 1, 1), date(2024, 1, 2)],
            "name": ["a", "=b"],
        }
    )
    assert [c.kind for c in infer_columns(frame)] == ["int", "money", "datetime", "date", "text"]
    write_csv(frame, tmp_path / "r.csv")
    assert read_csv(tmp_path / "r.csv")[1:] == [
        ["1", "1.50", "2024-01-01T09:00:00", "2024-01-01", "a"],
        ["2", "", "2024-01-02T00:00:00", "2024-01-02", "'=b"],
    ]
