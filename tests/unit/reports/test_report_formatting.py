"""Formatting values for people (PDF) and machines (CSV), and escaping spreadsheet formulas."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest

from backoffice.reports import Column, escape_formula
from backoffice.reports.formatting import (
    currency_prefix,
    display_formatter,
    display_value,
    plain_formatter,
)
from backoffice.values import money_text


def always(_: str) -> bool:
    return True


def never(_: str) -> bool:
    return False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.5"), "₹1,234.50"),
        (Decimal("-1234.5"), "-₹1,234.50"),
        (Decimal("0.005"), "₹0.01"),  # half up, as people round money
        (Decimal("1000000"), "₹1,000,000.00"),
        (7, "₹7.00"),
    ],
)
def test_money_shows_symbol_grouping_and_two_decimals(value, expected):
    assert money_text(value, "INR", prefix=currency_prefix("INR", always)) == expected


def test_money_falls_back_to_the_currency_code_when_the_font_lacks_the_symbol():
    assert currency_prefix("INR", never) == "INR "
    assert money_text(Decimal("1234.5"), "INR", prefix="INR ") == "INR 1,234.50"


def test_currencies_without_minor_units_show_no_decimals():
    assert money_text(Decimal("1500"), "JPY", prefix="JPY ") == "JPY 1,500"


def test_money_refuses_floats():
    with pytest.raises(TypeError, match="Money must be Decimal"):
        money_text(0.1, "INR", prefix="₹")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("int", 1234567, "1,234,567"),
        ("percent", Decimal("0.125"), "12.5%"),
        ("date", date(2024, 4, 1), "1 Apr 2024"),
        ("datetime", datetime(2024, 4, 1, 9, 5), "1 Apr 2024, 09:05"),
        ("datetime", pd.Timestamp("2024-04-01 09:05"), "1 Apr 2024, 09:05"),
        ("text", "two\nlines", "two lines"),
    ],
)
def test_display_formats_each_kind(kind, value, expected):
    assert display_value(value, kind, None, always) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, pd.NaT, Decimal("NaN")])
def test_missing_values_print_as_empty_cells(missing):
    money = Column("a", "A", "money", "INR")
    assert display_formatter(money, always)(missing) == ""
    assert plain_formatter(money)(missing) == ""


def test_plain_numbers_never_use_exponents_or_grouping():
    fmt = plain_formatter(Column("a", "A", "money", "INR"))
    assert fmt(Decimal("1E+3")) == "1000"
    assert fmt(Decimal("1234567.50")) == "1234567.50"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_formula_like_text_gets_a_quote(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["Asha", "1-2", "a=b", ""])
def test_ordinary_text_is_left_alone(text):
    assert escape_formula(text) == text


def test_column_rules_are_checked():
    with pytest.raises(ValueError, match="unknown kind"):
        Column("a", "A", "float")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a money column"):
        Column("a", "A", "int", "INR")
    with pytest.raises(ValueError, match="cannot be totalled"):
        Column("a", "A", "text", total=True)
