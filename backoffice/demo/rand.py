"""Deterministic helpers: seeded streams, a pure hash for facts several tables share, text helpers.

Facts that two tables must agree on (a payment's reference, when a booking was cancelled) come from
`mix(seed, rank, salt)`, a pure function, so each table's stream can recompute them without
keeping per-booking state. Everything else comes from one `random.Random` per table.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import unicodedata

_MASK = (1 << 64) - 1
# Odd multipliers (bijections modulo 2**64) that stretch one hash into several chunks.
_ODD = (
    1,
    0xD6E8FEB86659FD93,
    0xA0761D6478BD642F,
    0xE7037ED1A0B428DB,
    0x8EBC6AF09C88C6E3,
    0x589965CC75374CC3,
    0x1D8E4E27C47D124F,
    0xBF58476D1CE4E5B9,
)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NOT_DECOMPOSED = str.maketrans(
    {"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss", "Æ": "AE", "æ": "ae", "Đ": "D", "đ": "d"}
)
IST = dt.timezone(dt.timedelta(hours=5, minutes=30), "IST")


def stream_rng(seed: int, name: str) -> random.Random:
    """The random stream of one table: independent of the others, stable across Python runs."""
    return random.Random(f"{seed}/{name}")  # str seeds are hashed with SHA-512: no PYTHONHASHSEED


def mix(seed: int, value: int, salt: int) -> int:
    """A 64-bit pure hash of (seed, value, salt) (splitmix64 finaliser)."""
    z = (value * 0x9E3779B97F4A7C15 + seed * 0xD1B54A32D192ED03 + salt * 0xABC98388FB8FAC03) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def token(seed: int, value: int, salt: int, width: int) -> str:
    """An id-like string of letters and digits (payment reference, refund id, up to 85 characters)
    that every table derives the same way."""
    v = mix(seed, value, salt)
    chunks = _ODD[: (width * 6 + 63) // 64]
    raw = b"".join((v * k & _MASK).to_bytes(8, "little") for k in chunks)
    return base64.b64encode(raw, b"xQ").decode()[:width]


def ascii_slug(text: str, sep: str = ".") -> str:
    """'Zoë D'Souza' -> 'zoe.dsouza': letters of the name without accents or apostrophes."""
    plain = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    plain = plain.encode("ascii", "ignore").decode().lower()
    plain = plain.replace("'", "").replace("dr. ", "")
    return sep.join(part for part in plain.replace("-", " ").split() if part)


def indian_mobile(rng: random.Random) -> str:
    """A +91 mobile number as people write it: '+91 98765 43210'."""
    digits = f"{rng.randrange(6, 10)}{rng.randrange(10**9):09d}"
    return f"+91 {digits[:5]} {digits[5:]}"


def foreign_phone(rng: random.Random, code: str) -> str:
    return f"{code} {rng.randrange(200, 999)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"


def clock(minutes_of_day: int) -> str:
    """'06:30 PM' for 1110."""
    hour, minute = divmod(minutes_of_day % 1440, 60)
    return f"{(hour + 11) % 12 + 1:02d}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


class Clock:
    """Turns the plan's minute offsets (from `today` 00:00 IST) into naive IST datetimes."""

    def __init__(self, today: dt.date) -> None:
        self.midnight = dt.datetime.combine(today, dt.time())
        self._days: dict[int, dt.datetime] = {}

    def at(self, minute: int) -> dt.datetime:
        day, rest = divmod(minute, 1440)
        base = self._days.get(day)
        if base is None:
            base = self.midnight + dt.timedelta(days=day)
            self._days[day] = base
        return base + dt.timedelta(minutes=rest)

    def session_text(self, start: int, duration: int) -> str:
        """'Mon, 12 Jan 2026, 06:30 PM - 07:20 PM IST' (the clinic's wording of a slot)."""
        day = self.at(start)  # names spelled here: strftime's %a and %b follow the locale
        date = f"{_DAYS[day.weekday()]}, {day.day:02d} {_MONTHS[day.month - 1]} {day.year}"
        return f"{date}, {clock(start % 1440)} - {clock((start + duration) % 1440)} IST"
