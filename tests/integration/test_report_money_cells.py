"""Issue #14 items 2 and 3 on the demo clinic: every money cell of the finance reports' CSV and XLSX
has its currency's decimals (XLSX: numbers with a currency format), and revenue by therapist is
keyed by therapist id, with the name beside it."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from openpyxl import load_workbook

from backoffice.values import currency_decimals
from tests.integration.report_fixtures import csv_tables, run

ALL_TIME = (dt.date(2020, 1, 1), dt.date(2030, 12, 31))
MONEY_HEADERS = re.compile(
    r"^(Gross|Refunded|Net|Paid|Amount|Refund \((payment|booking|ledger)\)"
    r"|Left to refund on the payment)( \([A-Z]{3}\))?$"
)


@pytest.fixture
def finance(staff):
    return staff("demo_finance")


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


@pytest.mark.parametrize("report", ["revenue", "ledger", "refunds", "reconciliation"])
def test_every_csv_money_cell_has_its_currencys_decimals(finance, tmp_path, report):
    run(finance, report, tmp_path / "r.csv", ALL_TIME)
    checked = 0
    for title, rows in csv_tables(tmp_path / "r.csv").items():
        for row in rows:
            currency = row.get("Currency") or row.get("Cur.")
            for header, cell in row.items():
                if cell and MONEY_HEADERS.match(header):
                    assert _decimals(cell) == currency_decimals(currency), (title, header, cell)
                    checked += 1
    assert checked or report in ("refunds", "reconciliation")


@pytest.mark.parametrize("report", ["revenue", "ledger", "reconciliation"])
def test_every_xlsx_money_cell_is_a_number_with_a_currency_format(finance, tmp_path, report):
    run(finance, report, tmp_path / "r.xlsx", ALL_TIME)
    book = load_workbook(tmp_path / "r.xlsx")
    checked = 0
    for sheet in book.worksheets[1:]:  # the first sheet describes the report
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for name, cell in zip(header, row, strict=True):
                if cell.value is None or not MONEY_HEADERS.match(str(name)):
                    continue
                assert isinstance(cell.value, int | float), (sheet.title, name, cell.value)
                assert re.fullmatch(
                    r'"(₹|\$|€|£|A\$|C\$|[A-Z]{3} )"#,##0(\.0+)?', cell.number_format
                )
                checked += 1
    assert checked


def test_revenue_by_therapist_is_keyed_by_id_with_the_name_beside_it(finance, tmp_path):
    run(finance, "revenue", tmp_path / "r.csv", ALL_TIME)
    rows = csv_tables(tmp_path / "r.csv")["Revenue by therapist"]
    keys = Counter((row["Currency"], row["Therapist id"]) for row in rows)
    assert keys and max(keys.values()) == 1
    names = {row["Therapist id"]: row["Therapist"] for row in rows if row["Therapist id"]}
    assert all(names.values())
