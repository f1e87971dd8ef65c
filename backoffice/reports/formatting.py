"""Turn cell values into text: for people (PDF) and for machines (CSV)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import partial

import pandas as pd

from backoffice.reports.spec import Column, ColumnKind
from backoffice.values import (
    count_text,
    date_text,
    datetime_text,
    id_text,
    money_amount,
    money_text,
)

Formatter = Callable[[object], str]

# Spreadsheets run a cell starting with these as a formula (or DDE command): "=HYPERLINK(...)".
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SYMBOLS = {"INR": "₹", "USD": "$", "EUR": "€", "GBP": "£", "AUD": "A$", "CAD": "C$"}


def is_missing(value: object) -> bool:
    """None, NaN, NaT and pd.NA all mean "no value" and print as an empty cell."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    kind = type(value)  # exact types first: this runs for every cell of a big ledger
    if kind is str or kind is int:
        return False
    if kind is Decimal or isinstance(value, Decimal):
        return value.is_nan()  # type: ignore[attr-defined]
    return isinstance(value, float) and math.isnan(value)


def escape_formula(text: str) -> str:
    """Prefix a single quote to text that a spreadsheet would otherwise evaluate."""
    return "'" + text if text.startswith(_FORMULA_TRIGGERS) else text


def currency_prefix(currency: str | None, can_draw: Callable[[str], bool]) -> str:
    """ "₹" when the font has the glyph, else "INR " so the amount stays unambiguous."""
    if not currency:
        return ""
    symbol = _SYMBOLS.get(currency.upper())
    if symbol and can_draw(symbol):
        return symbol
    return f"{currency.upper()} "


def display_formatter(column: Column, can_draw: Callable[[str], bool]) -> Formatter:
    """How the PDF shows this column's values."""
    if column.kind == "money":
        prefix = currency_prefix(column.currency, can_draw)
        return _skip_missing(partial(_money_text, currency=column.currency, prefix=prefix))
    return _skip_missing(_DISPLAY[column.kind])


def plain_formatter(column: Column) -> Formatter:
    """How CSV writes this column: no symbols, no grouping, full precision ("1234.50")."""
    return _skip_missing(_PLAIN[column.kind])


def plain_money(value: object, currency: str | None) -> str:
    """Money for CSV: the currency's decimals, no symbol, no grouping ("1234.50", JPY "1500")."""
    return format(money_amount(value, currency), "f")  # type: ignore[arg-type]


def display_value(
    value: object, kind: ColumnKind, currency: str | None, can_draw: Callable[[str], bool]
) -> str:
    """Format one value, e.g. a key figure."""
    return display_formatter(Column("value", "", kind, currency), can_draw)(value)


def _money_text(value: object, *, currency: str | None, prefix: str) -> str:
    # values.money_text refuses a float: a query that lost precision upstream must not print.
    return money_text(value, currency, prefix=prefix)  # type: ignore[arg-type]


def _skip_missing(fmt: Formatter) -> Formatter:
    return lambda value: "" if is_missing(value) else fmt(value)


def _text(value: object) -> str:
    # A line break would overflow a fixed-height table row.
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def _int_text(value: object) -> str:
    return count_text(int(value))  # type: ignore[call-overload]


def _percent_text(value: object) -> str:
    return f"{Decimal(str(value)) * 100:.1f}%"


def _date_text(value: object) -> str:
    return date_text(value) if isinstance(value, date) else str(value)


def _datetime_text(value: object) -> str:
    return datetime_text(value) if isinstance(value, datetime) else str(value)


def _plain_number(value: object) -> str:
    # format(..., "f") never switches to exponent notation, which str(Decimal) can ("1E+3").
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


_DISPLAY: dict[str, Formatter] = {
    "text": _text,
    "id": id_text,
    "int": _int_text,
    "percent": _percent_text,
    "date": _date_text,
    "datetime": _datetime_text,
}
_PLAIN: dict[str, Formatter] = {
    "text": str,
    "id": _plain_number,
    "int": _plain_number,
    "money": _plain_number,
    "percent": _plain_number,
    "date": _iso,
    "datetime": _iso,
}
