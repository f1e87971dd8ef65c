"""The `revenue` report: gross, refunded and net revenue by period, therapist, session mode and
gateway, and a chart of net revenue over the period.

One SQL statement with GROUPING SETS aggregates every breakdown from the same rows, so each
breakdown's totals equal the currency's totals. How time is cut follows the period's length: a
month is charted by day and tabled by week, half a year by week and month, longer by month
(`time_units`). Amounts are never added across currencies: the PDF has one group of tables per
currency that holds a real share of the payments (the others' totals are in "By currency", their
breakdowns in the spreadsheets), the spreadsheets long tables with a currency column. Refunded is
the one definition of `backoffice.payment_refunds`. Therapists are told apart by id (two may share
a name); the name is shown beside it. Reads only what finance may read: payments and their refund
figures, the money and common columns of bookings, and therapists' names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.reports import (
    ChartSection,
    Column,
    KeyFigure,
    KeyFiguresSection,
    ParagraphSection,
    Section,
    TableSection,
)
from backoffice.services.reports.builders.frames import (
    column_total,
    currencies,
    frame,
    per_currency_columns,
)
from backoffice.services.reports.types import ReportContent, ReportRequest
from backoffice.values import NO_CURRENCY, date_text, day_text

# Which breakdown a row belongs to, from GROUPING(day, period, therapist_id, mode, gateway).
_BREAKDOWNS = {15: "day", 23: "period", 27: "therapist", 29: "mode", 30: "gateway", 31: "currency"}
MINOR_SHARE = 0.05  # a currency with fewer of the payments has no breakdown tables in the PDF

_REVENUE = sa.text(f"""
WITH paid AS (
    SELECT coalesce(p.currency, '{NO_CURRENCY}') AS currency,
           CAST(date_trunc(:chart_unit, p.payment_date) AS date) AS day,
           CAST(date_trunc(:table_unit, p.payment_date) AS date) AS period,
           coalesce(b.therapist_id, '') AS therapist_id,
           coalesce(t.name, b.booking_host_name,
                    CASE WHEN b.booking_id IS NULL THEN '(no booking)' ELSE '(no therapist)' END)
               AS therapist,
           coalesce(nullif(trim(b.booking_mode), ''), '(not recorded)') AS mode,
           coalesce(nullif(trim(p.payment_gateway_name), ''), '(not recorded)') AS gateway,
           coalesce(p.paid, 0) AS gross, p.refunded
    FROM backoffice.payment_refunds p
    LEFT JOIN public.bookings b ON b.booking_id = p.booking_id
    LEFT JOIN public.therapists t ON t.therapist_id = b.therapist_id
    WHERE p.payment_date >= :start AND p.payment_date < :end
      AND (CAST(:therapist AS text) IS NULL OR b.therapist_id = :therapist)
)
SELECT GROUPING(day, period, therapist_id, mode, gateway) AS grouping, currency, day, period,
       therapist_id, min(therapist) AS therapist, mode, gateway, count(*) AS payments,
       sum(gross) AS gross, sum(refunded) AS refunded, sum(gross) - sum(refunded) AS net
FROM paid
GROUP BY GROUPING SETS ((currency), (currency, day), (currency, period),
                        (currency, therapist_id), (currency, mode), (currency, gateway))
ORDER BY currency, day, period, therapist, therapist_id, mode, gateway
""")

_FIGURES = (
    Column("payments", "Payments", "int"),
    Column("gross", "Gross", "money"),
    Column("refunded", "Refunded", "money"),
    Column("net", "Net", "money"),
)
_KEYS: dict[str, tuple[Column, ...]] = {
    "period": (Column("period", "Period starting", "date"),),
    "therapist": (Column("therapist", "Therapist"), Column("therapist_id", "Therapist id")),
    "mode": (Column("mode", "Session mode"),),
    "gateway": (Column("gateway", "Gateway"),),
}
_TITLES = {
    "period": "by period",
    "therapist": "by therapist",
    "mode": "by session mode",
    "gateway": "by gateway",
}
_CURRENCY = Column("currency", "Currency")
NOTE = (
    "Revenue counts the payments made in the period. Refunded is what was returned on those "
    "payments and confirmed, whenever it was returned: by the gateway as the booking website "
    "recorded it, or by a refund completed in the back-office; refunds still pending are not "
    "counted. Net is gross less refunded. Therapists are told apart by their id. Amounts in "
    "different currencies are never added together."
)


def time_units(days: int) -> tuple[str, str]:
    """How a period of `days` is cut: (the chart's unit, the table's): a chart of some 5 to 30
    bars, a table of a few rows."""
    if days <= 31:
        return "day", "week"
    if days <= 186:
        return "week", "month"
    return "month", "month"


def build_revenue(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    chart_unit, table_unit = time_units(request.days)
    rows = frame(uow, _REVENUE, request.params(chart_unit=chart_unit, table_unit=table_unit))
    rows["breakdown"] = [_BREAKDOWNS[g] for g in rows["grouping"]]
    totals = _part(rows, "currency")
    order = currencies(totals)
    sections: list[Section] = [*_headline(totals, order)]
    sections += _chart(rows, order, request, chart_unit)
    sections.append(
        TableSection(
            "By currency",
            [_CURRENCY, *_FIGURES],
            _ordered(totals, order),
            empty_text="No payments in this period.",
        )
    )
    detailed, minor = _detailed_currencies(totals, order)
    for currency in detailed:
        sections.extend(_currency_tables(rows, currency, table_unit))
    if minor:
        sections.append(ParagraphSection(_minor_sentence(minor), note=True))
    sections.append(ParagraphSection(NOTE, note=True))
    return ReportContent(
        sections=sections,
        spreadsheet=_spreadsheet(rows, totals),
        rows=len(rows),
        empty=column_total(totals, "payments") == 0,
        empty_sentence="No payments were made in this period.",
    )


def _detailed_currencies(totals: pd.DataFrame, order: list[str]) -> tuple[list[str], list[str]]:
    """The currencies that get breakdown tables in the PDF (the main one always), and the rest."""
    counts = dict(zip(totals["currency"].tolist(), totals["payments"].tolist(), strict=True))
    every = sum(counts.values()) or 1
    detailed = [c for n, c in enumerate(order) if n == 0 or counts[c] / every >= MINOR_SHARE]
    return detailed, [c for c in order if c not in detailed]


def _minor_sentence(minor: list[str]) -> str:
    return (
        f"{', '.join(minor)}: fewer than {MINOR_SHARE:.0%} of the payments each; their totals are "
        "in the table By currency, their breakdowns in the CSV and XLSX exports of this report."
    )


def _period_label(value: object, unit: str) -> str:
    """A period's first day as people name it: "week of 2 Nov 2026", "Nov 2026"."""
    if not isinstance(value, dt.date):
        return "" if value is None else str(value)
    if unit == "month":
        return f"{value:%b %Y}"
    return f"week of {date_text(value)}" if unit == "week" else date_text(value)


def _spreadsheet(rows: pd.DataFrame, totals: pd.DataFrame) -> list[Section]:
    """Long tables with a currency column: the totals, then one table per breakdown."""
    spreadsheet: list[Section] = [TableSection("By currency", [_CURRENCY, *_FIGURES], totals)]
    for key, columns in _KEYS.items():
        spreadsheet.append(
            TableSection(
                f"Revenue {_TITLES[key]}", [_CURRENCY, *columns, *_FIGURES], _part(rows, key)
            )
        )
    return spreadsheet


def _part(rows: pd.DataFrame, breakdown: str) -> pd.DataFrame:
    return rows[rows["breakdown"] == breakdown].reset_index(drop=True)


def _ordered(totals: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    rank = {currency: n for n, currency in enumerate(order)}
    return totals.sort_values("currency", key=lambda s: s.map(rank)).reset_index(drop=True)


def _headline(totals: pd.DataFrame, order: Sequence[str]) -> list[Section]:
    if not order:
        return []
    main = totals[totals["currency"] == order[0]].iloc[0]
    figures = [KeyFigure("Payments", main["payments"], "int")]
    figures += [KeyFigure(c.label, main[c.key], "money", order[0]) for c in _FIGURES[1:]]
    title = f"In {order[0]}" + (
        f" (and {len(order) - 1} other currencies below)" if len(order) > 1 else ""
    )
    return [KeyFiguresSection(figures, title=title)]


def _chart(
    rows: pd.DataFrame, order: Sequence[str], request: ReportRequest, unit: str
) -> list[Section]:
    """Net revenue in the main currency over the period, one bar a day, week or month (empty ones
    included, so that a quiet day shows as one)."""
    currency = order[0] if order else NO_CURRENCY
    part = _part(rows, "day")
    part = part[part["currency"] == currency]
    net = dict(zip(part["day"].tolist(), part["net"].tolist(), strict=True))
    starts = _bucket_starts(request.period_from, request.period_to, unit)
    data = pd.DataFrame(
        {"day": [_bar_label(d, unit) for d in starts], "net": [net.get(d, 0) for d in starts]},
        dtype=object,
    )
    y = per_currency_columns([_FIGURES[3]], currency)
    title = f"Net revenue by {unit}" + (f" ({currency})" if order else "")
    return [
        ChartSection(
            title, data, Column("day", unit.title()), y, empty_text="No payments to chart."
        )
    ]


def _bucket_starts(first: dt.date, last: dt.date, unit: str) -> list[dt.date]:
    """The first day of each day, week (Monday) or month that meets the period, as date_trunc."""
    if unit == "day":
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    if unit == "week":
        start = first - dt.timedelta(days=first.weekday())
        return [start + dt.timedelta(weeks=n) for n in range((last - start).days // 7 + 1)]
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def _bar_label(day: dt.date, unit: str) -> str:
    if unit == "month":
        return f"{day:%b %Y}"
    return day_text(day, year=False)


def _currency_tables(rows: pd.DataFrame, currency: str, unit: str) -> list[Section]:
    tables: list[Section] = []
    for key, columns in _KEYS.items():
        part = _part(rows, key)
        part = part[part["currency"] == currency]
        if key != "period":  # the biggest first; periods stay in calendar order
            order = ["net", *(c.key for c in columns)]
            part = part.sort_values(order, ascending=[False] + [True] * len(columns), kind="stable")
        part = part.reset_index(drop=True)
        title, labels = f"{currency} {_TITLES[key]}", list(columns)
        if key == "period":  # named as people name it: "week of 2 Nov 2026", "Nov 2026"
            names = [_period_label(v, unit) for v in part["period"]]
            part["label"] = pd.Series(names, dtype=object)
            title, labels = f"{currency} by {unit}", [Column("label", unit.title())]
        figures = per_currency_columns(_FIGURES, currency)
        tables.append(TableSection(title, [*labels, *figures], part, totals=True))
    return tables
