"""Values written one way for the whole application: money, currencies' decimals, ids, dates."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from backoffice import values
from backoffice.errors import ValidationError
from backoffice.reports import Column
from backoffice.reports.formatting import display_formatter, plain_formatter
from backoffice.services.browse import SourceColumn
from backoffice.services.refunds import actions, effects, parse_amount, reconciliation, requests
from backoffice.ui.widgets import cell_format

PACKAGE = Path(values.__file__).parent
WHEN = dt.datetime(2025, 3, 5, 14, 5)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("2500"), "INR", "INR 2,500.00"),
        (Decimal("-5.005"), "USD", "-USD 5.01"),  # half up, as people round money; sign first
        (Decimal("-0.004"), "INR", "INR 0.00"),  # no "-INR 0.00"
        (Decimal("1500"), "JPY", "JPY 1,500"),
        (Decimal("1.2345"), "KWD", "KWD 1.235"),
        (7, "inr", "INR 7.00"),
        (Decimal("1234.5"), None, "1,234.50"),
    ],
)
def test_money_is_the_currency_then_the_amount_with_its_decimals(amount, currency, expected):
    assert values.money_text(amount, currency) == expected


def test_a_medium_may_write_the_currency_its_own_way_but_not_the_amount():
    assert values.money_text(Decimal("-1234.5"), "INR", prefix="₹") == "-₹1,234.50"


def test_money_refuses_floats():
    with pytest.raises(TypeError, match="Money must be Decimal"):
        values.money_text(0.1, "INR")  # type: ignore[arg-type]


def test_ids_never_look_like_money_while_counts_are_grouped():
    assert values.id_text(12345) == "12345"
    assert values.count_text(12345) == "12,345"


def test_a_day_is_written_one_way_in_tables_sentences_and_reports():
    assert values.date_text(WHEN.date()) == "5 Mar 2025"
    assert values.datetime_text(WHEN) == "5 Mar 2025, 14:05"
    assert values.day_text(WHEN.date()) == "5 Mar 2025"
    assert values.day_text(WHEN.date(), weekday=True, year=False) == "Wed 5 Mar"
    assert values.moment_text(WHEN, weekday=True) == "Wed 5 Mar 2025, 14:05"
    assert values.iso_date(WHEN.date()) == "2025-03-05"  # file names and files for machines


def test_an_aware_moment_is_written_in_the_clinics_zone_and_the_zone_named_on_request():
    utc = WHEN.replace(tzinfo=dt.UTC)
    assert values.datetime_text(utc) == "5 Mar 2025, 19:35"  # 14:05 UTC is 19:35 in Kolkata
    assert values.datetime_text(WHEN, zone=True) == "5 Mar 2025, 14:05 IST"
    assert values.time_text(utc, zone=True) == "19:35 IST"
    late = dt.datetime(2026, 11, 29, 22, 7, tzinfo=dt.UTC)  # already the next day at the clinic
    assert values.clinic_today(late) == dt.date(2026, 11, 30)


def test_the_window_and_the_reports_use_the_one_currency_table(monkeypatch):
    """Break the one definition: a table cell and a PDF cell both change."""
    monkeypatch.setattr(values, "currency_decimals", lambda currency: 3)
    amount = Decimal("2500")
    pdf = display_formatter(Column("paid", "Paid", "money", "INR"), lambda _: False)(amount)
    cell = cell_format.formatters([SourceColumn("paid", "Paid", "money")])[0](amount)
    assert (pdf, cell) == ("INR 2,500.000", "2,500.000")
    with pytest.raises(ValidationError, match="at most 2 decimals"):  # the refunds table keeps 2
        parse_amount("1.125", currency="INR")


def test_the_services_sentences_use_the_one_money_formatter():
    used = {module.money_text for module in (effects, reconciliation, requests, actions)}
    assert used == {values.money_text}


def test_the_window_and_the_reports_write_ids_and_times_alike():
    cells = cell_format.formatters(
        [SourceColumn("id", "Payment", "id"), SourceColumn("at", "When", "datetime")]
    )
    pdf_id = display_formatter(Column("id", "Payment", "id"), lambda _: True)
    pdf_when = display_formatter(Column("at", "When", "datetime"), lambda _: True)
    assert [f(v) for f, v in zip(cells, (12345, WHEN), strict=True)] == [
        "12345",
        "5 Mar 2025, 14:05",
    ]
    assert (pdf_id(12345), pdf_when(WHEN)) == ("12345", "5 Mar 2025, 14:05")
    assert plain_formatter(Column("id", "Payment", "id"))(12345) == "12345"


# Where a second definition would hide: a currency table, the clinic's zone, a date layout.
_SECOND_DEFINITIONS = re.compile(r'"JPY"|Asia/Kolkata|AT TIME ZONE|%Y-%m-%d|%d %b|:,\.\d+f')
# The clinic's own DDL (models), released migrations and the synthetic clinic keep their text;
# chart axes round ticks to whole units on purpose; the audit chain hashes each moment as UTC text,
# byte for byte as revision 0009 does, which is no display.
_HOMES = {"values.py", "services/clock.py", "reports/pdf_charts.py", "services/audit_trail/rows.py"}
_LEFT_ALONE = ("models/", "migrations/", "demo/")


def test_no_module_keeps_its_own_currency_table_time_zone_or_date_layout():
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if str(path.relative_to(PACKAGE)) not in _HOMES
        and not str(path.relative_to(PACKAGE)).startswith(_LEFT_ALONE)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _SECOND_DEFINITIONS.search(line)
    ]
    assert found == []


def test_a_count_names_what_it_counts_in_the_singular_or_the_plural():
    assert values.counted(1, "note") == "1 note"
    assert values.counted(0, "note") == "0 notes"
    assert values.counted(1204, "client") == "1,204 clients"
    assert values.counted(2, "child", "children") == "2 children"


def test_a_money_cell_holds_exactly_its_currencys_decimals():
    assert str(values.money_amount(Decimal("2014500.0000000000000000"), "INR")) == "2014500.00"
    assert str(values.money_amount(165500, "INR")) == "165500.00"
    assert str(values.money_amount(Decimal("1500.5"), "JPY")) == "1501"
    assert str(values.money_amount(Decimal("12.5"), "KWD")) == "12.500"
    with pytest.raises(TypeError):
        values.money_amount(12.5, "INR")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "words"),
    [("no_show", "No show"), ("completed", "Completed"), ("CANCELLED", "Cancelled"), (None, "")],
)
def test_a_stored_code_reads_as_words(code, words):
    from backoffice.values import code_text

    assert code_text(code) == words
