"""Display texts for table cells, prepared once per row on the worker, never per paint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from backoffice.services.audit_words import describe_event_value
from backoffice.services.browse import SourceColumn
from backoffice.values import (
    count_text,
    date_text,
    datetime_text,
    id_text,
    money_text,
    session_timing_text,
)

Formatter = Callable[[Any], str]
PreparedRow = tuple[tuple[Any, ...], tuple[str, ...]]  # (values, display texts)
RIGHT_ALIGNED = frozenset({"int", "money"})


def _text(value: Any) -> str:
    # One line per cell: a line break would make the row taller than its neighbours.
    text = str(value)
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def _int(value: Any) -> str:
    return count_text(value) if isinstance(value, int) else str(value)


def _money(value: Any) -> str:
    # The amount alone: the table shows the currency in a column of its own.
    return money_text(value, None) if isinstance(value, Decimal) else str(value)


def _date(value: Any) -> str:
    return date_text(value) if isinstance(value, dt.date) else str(value)


def _datetime(value: Any) -> str:
    return datetime_text(value) if isinstance(value, dt.datetime) else str(value)


def _bool(value: Any) -> str:
    return "yes" if value else "no"


def _timing(value: Any) -> str:
    return session_timing_text(_text(value))


_BY_KIND: dict[str, Formatter] = {
    "text": _text,
    "timing": _timing,
    "event": describe_event_value,
    "id": id_text,
    "int": _int,
    "money": _money,
    "date": _date,
    "datetime": _datetime,
    "bool": _bool,
}


def formatters(columns: Sequence[SourceColumn]) -> tuple[Formatter, ...]:
    return tuple(_BY_KIND.get(c.kind, _text) for c in columns)


def prepare(rows: Sequence[tuple[Any, ...]], fmts: Sequence[Formatter]) -> list[PreparedRow]:
    """Each row with its display texts ("" for NULL), computed once when the page arrives."""
    return [
        (row, tuple("" if v is None else f(v) for f, v in zip(fmts, row, strict=True)))
        for row in rows
    ]
