"""How the application writes values for people, defined once: money and each currency's decimals,
ids, counts, dates and times.

Pure Python (no SQLAlchemy, no Qt, no pandas), at the bottom of the layers: the report renderers,
the services and the window all import it, so a table cell, a PDF and a sentence agree.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

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


def code_text(code: str | None) -> str:
    """A code the clinic's tables store, as a word to read: "no_show" -> "No show"."""
    return (code or "").replace("_", " ").strip().capitalize()


def id_text(value: object) -> str:
    """An id as it is stored, never grouped like an amount: payment 12345, not 12,345."""
    return str(value)


# --- dates and times -----------------------------------------------------------------------------
# The clinic's tables hold naive wall-clock times in the clinic's zone; the back-office's own
# columns are `timestamptz`. Both are written in the clinic's zone, in one layout: "30 Nov 2026",
# "30 Nov 2026, 14:05". ISO dates ("2026-11-30") are for file names and files machines read.
CLINIC_TIMEZONE = "Asia/Kolkata"
CLINIC_ZONE = ZoneInfo(CLINIC_TIMEZONE)
# English names whatever the process's locale, and without strftime, which tables and a chart of
# hundreds of sessions call per row (tuples are ten times faster).
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
QT_DATE_FORMAT = "d MMM yyyy"  # the same layout for a date field of the window (Qt's notation)


def clinic_time(value: dt.datetime) -> dt.datetime:
    """The clinic's wall-clock time of `value`: an aware moment converted to the clinic's zone;
    a naive one is already the clinic's (as its tables store them)."""
    if value.tzinfo is None:
        return value
    return value.astimezone(CLINIC_ZONE).replace(tzinfo=None)


def clinic_today(now: dt.datetime | None = None) -> dt.date:
    """The clinic's date now (or at the aware moment `now`), whatever the workstation's zone."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(CLINIC_ZONE).date()


def zone_name(at: dt.datetime | None = None) -> str:
    """The clinic zone's short name people know it by ("IST"), at a moment (summer time)."""
    moment = (
        clinic_time(at) if at is not None else dt.datetime.now(CLINIC_ZONE).replace(tzinfo=None)
    )
    return moment.replace(tzinfo=CLINIC_ZONE).tzname() or CLINIC_TIMEZONE


def date_text(value: dt.date, *, weekday: bool = False) -> str:
    """A day, in the window, a sentence or a PDF: "5 Mar 2025" ("Wed 5 Mar 2025")."""
    text = f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    return f"{_WEEKDAYS[value.weekday()]} {text}" if weekday else text


def datetime_text(value: dt.datetime, *, weekday: bool = False, zone: bool = False) -> str:
    """A moment in the clinic's zone: "5 Mar 2025, 14:05"; with `zone`, "5 Mar 2025, 14:05 IST".

    Tables call it per row: plain attribute arithmetic, no strftime.
    """
    local = clinic_time(value)
    text = f"{date_text(local, weekday=weekday)}, {local.hour:02d}:{local.minute:02d}"
    return f"{text} {zone_name(local)}" if zone else text


def time_text(value: dt.datetime, *, zone: bool = False) -> str:
    """The clinic's time of day of a moment: "14:05" ("14:05 IST")."""
    local = clinic_time(value)
    text = f"{local.hour:02d}:{local.minute:02d}"
    return f"{text} {zone_name(local)}" if zone else text


def day_text(value: dt.date, *, weekday: bool = False, year: bool = True) -> str:
    """A day in a sentence or a chart: "5 Mar 2025"; "Wed 5 Mar" with the weekday, without the year."""
    if year:
        return date_text(value, weekday=weekday)
    text = f"{value.day} {_MONTHS[value.month - 1]}"
    return f"{_WEEKDAYS[value.weekday()]} {text}" if weekday else text


def moment_text(value: dt.datetime, *, weekday: bool = False, zone: bool = False) -> str:
    """A moment in a sentence: the same text as a table's (`datetime_text`)."""
    return datetime_text(value, weekday=weekday, zone=zone)


def iso_date(value: dt.date) -> str:
    """A day in a file name or a file for machines (CSV): "2025-03-05"."""
    return value.isoformat()


# The clinic's own text for a session's time: "Fri, 13 Jun 2025, 08:30 PM - 09:30 PM IST".
_CLINIC_TIMING = re.compile(
    r"^\s*(?:[A-Za-z]{3},\s*)?(\d{1,2}) ([A-Za-z]{3}) (\d{4}),\s*(\d{1,2}):(\d{2})\s*([AP]M)"
    r"\s*-\s*(\d{1,2}):(\d{2})\s*([AP]M)\s*([A-Z]{2,5})?\s*$"
)


def session_timing_text(text: str) -> str:
    """The clinic's text for a session's time, in the window's layout: "Fri 13 Jun 2025,
    20:30–21:30 IST". Text in another shape is shown as it is."""
    found = _CLINIC_TIMING.match(text)
    if found is None or found.group(2).title() not in _MONTHS:
        return text
    day, month, year, h1, m1, p1, h2, m2, p2, zone = found.groups()
    date = dt.date(int(year), _MONTHS.index(month.title()) + 1, int(day))
    start, end = _clock(int(h1), m1, p1), _clock(int(h2), m2, p2)
    return f"{date_text(date, weekday=True)}, {start}–{end} {zone or zone_name()}"


def _clock(hour: int, minute: str, half: str) -> str:
    hour = hour % 12 + (12 if half.upper() == "PM" else 0)
    return f"{hour:02d}:{minute}"
