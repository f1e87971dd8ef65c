"""How the application writes values for people, defined once: money and each currency's decimals,
ids, counts, dates and times.

Pure Python (no SQLAlchemy, no Qt, no pandas), at the bottom of the layers: the report renderers,
the services and the window all import it, so a table cell, a PDF and a sentence agree.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

NO_CURRENCY = "XXX"  # ISO 4217's code for "no currency", for rows that name none

# ISO 4217 minor units of the currencies that do not use two decimals; every other uses two.
_MINOR_UNITS = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW"), 0),
    **dict.fromkeys(("PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
}


def currency_decimals(currency: str | None) -> int:
    """How many decimals amounts in `currency` have: 2 for INR, 0 for JPY, 3 for KWD."""
    return _MINOR_UNITS.get((currency or "").strip().upper(), 2)


def money_amount(amount: Decimal | int, currency: str | None) -> Decimal:
    """The amount with exactly the currency's decimals (half up): what a spreadsheet cell holds,
    Decimal("2500.00") for INR, Decimal("1500") for JPY. A float is refused."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"Money must be Decimal, got {type(amount).__name__} {amount!r}.")
    places = currency_decimals(currency)
    return Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def money_text(amount: Decimal | int, currency: str | None, *, prefix: str | None = None) -> str:
    """The currency, then the amount with its decimals and thousands separators: "INR 2,500.00",
    "-INR 5.01", "JPY 1,500".

    `prefix` replaces "INR " where the medium asks for it (a PDF font's "₹", a no-break space in
    the window). A float is refused: its binary value is not the amount.
    """
    rounded = money_amount(amount, currency)
    shown = f"{abs(rounded):,.{currency_decimals(currency)}f}"
    if prefix is None:
        prefix = f"{currency.strip().upper()} " if currency else ""
    return f"-{prefix}{shown}" if rounded < 0 else f"{prefix}{shown}"


def count_text(value: int) -> str:
    """A count, with thousands separators: "12,345"."""
    return f"{value:,}"


def counted(value: int, thing: str, things: str | None = None) -> str:
    """A count and what it counts: "1 note", "2 notes", "1,204 clients"."""
    return f"{count_text(value)} {thing if value == 1 else things or thing + 's'}"


def id_text(value: object) -> str:
    """An id as it is stored, never grouped like an amount: payment 12345, not 12,345."""
    return str(value)


def date_text(value: dt.date) -> str:
    """A day in a table or a file name: "2025-03-05"."""
    return f"{value:%Y-%m-%d}"


def datetime_text(value: dt.datetime) -> str:
    """A moment in a table: "2025-03-05 14:05" (the clinic's wall-clock time, as stored)."""
    if value.tzinfo is None:  # isoformat is twice as fast as strftime, and tables call it per row
        return value.isoformat(sep=" ", timespec="minutes")
    return f"{value:%Y-%m-%d %H:%M}"


# English names whatever the process's locale, and without strftime, which a chart of hundreds
# of sessions calls per row (tuples are ten times faster).
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_text(value: dt.date, *, weekday: bool = False, year: bool = True) -> str:
    """A day in a sentence: "5 Mar 2025"; "Wed 5 Mar" with the weekday and without the year."""
    day = f"{value.day} {_MONTHS[value.month - 1]}"
    if year:
        day = f"{day} {value.year}"
    return f"{_WEEKDAYS[value.weekday()]} {day}" if weekday else day


def moment_text(value: dt.datetime, *, weekday: bool = False) -> str:
    """A moment in a sentence: "5 Mar 2025, 14:05" ("Wed 5 Mar 2025, 14:05" with the weekday)."""
    return f"{day_text(value, weekday=weekday)}, {value.hour:02d}:{value.minute:02d}"
