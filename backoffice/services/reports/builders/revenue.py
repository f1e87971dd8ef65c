"""The `revenue` report: gross, refunded and net revenue by month, therapist, session mode and gateway.

One SQL statement with GROUPING SETS aggregates every breakdown from the same rows, so each
breakdown's totals equal the currency's totals. Amounts are never added across currencies: the
PDF has one group of tables per currency, the spreadsheets long tables with a currency column.
Refunded is the one definition of `backoffice.payment_refunds`. Therapists are told apart by id
(two may share a name); the name is shown beside it. Reads only what finance may read: payments
and their refund figures, the money and common columns of bookings, and therapists' names.
"""

from __future__ import annotations

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
from backoffice.values import NO_CURRENCY

# Which breakdown a row belongs to, from GROUPING(month, therapist_id, mode, gateway).
_BREAKDOWNS = {7: "month", 11: "therapist", 13: "mode", 14: "gateway", 15: "currency"}

_REVENUE = sa.text(f"""
WITH paid AS (
    SELECT coalesce(p.currency, '{NO_CURRENCY}') AS currency,
           to_char(p.payment_date, 'YYYY-MM') AS month,
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
SELECT GROUPING(month, therapist_id, mode, gateway) AS grouping, currency, month, therapist_id,
       min(therapist) AS therapist, mode, gateway, count(*) AS payments,
       sum(gross) AS gross, sum(refunded) AS refunded, sum(gross) - sum(refunded) AS net
FROM paid
GROUP BY GROUPING SETS ((currency), (currency, month), (currency, therapist_id),
                        (currency, mode), (currency, gateway))
ORDER BY currency, month, therapist, therapist_id, mode, gateway
""")

_FIGURES = (
    Column("payments", "Payments", "int"),
    Column("gross", "Gross", "money"),
    Column("refunded", "Refunded", "money"),
    Column("net", "Net", "money"),
)
_KEYS: dict[str, tuple[Column, ...]] = {
    "month": (Column("month", "Month"),),
    "therapist": (Column("therapist", "Therapist"), Column("therapist_id", "Therapist id")),
    "mode": (Column("mode", "Session mode"),),
    "gateway": (Column("gateway", "Gateway"),),
}
_TITLES = {
    "month": "by month",
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


def build_revenue(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    rows = frame(uow, _REVENUE, request.params())
    rows["breakdown"] = [_BREAKDOWNS[g] for g in rows["grouping"]]
    totals = _part(rows, "currency")
    order = currencies(totals)
    sections: list[Section] = [*_headline(totals, order), *_chart(rows, order)]
    sections.append(
        TableSection(
            "By currency",
            [_CURRENCY, *_FIGURES],
            _ordered(totals, order),
            empty_text="No payments in this period.",
        )
    )
    for currency in order:
        sections.extend(_currency_tables(rows, currency))
    sections.append(ParagraphSection(NOTE, note=True))
    return ReportContent(
        sections=sections,
        spreadsheet=_spreadsheet(rows, totals),
        rows=len(rows),
        empty=column_total(totals, "payments") == 0,
        empty_sentence="No payments were made in this period.",
    )


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


def _chart(rows: pd.DataFrame, order: Sequence[str]) -> list[Section]:
    currency = order[0] if order else NO_CURRENCY
    months = _part(rows, "month")
    months = months[months["currency"] == currency].reset_index(drop=True)
    y = per_currency_columns([_FIGURES[3]], currency)
    return [
        ChartSection(
            f"Net revenue by month ({currency})" if order else "Net revenue by month",
            months,
            _KEYS["month"][0],
            y,
            empty_text="No payments to chart.",
        )
    ]


def _currency_tables(rows: pd.DataFrame, currency: str) -> list[Section]:
    tables: list[Section] = []
    for key, columns in _KEYS.items():
        part = _part(rows, key)
        part = part[part["currency"] == currency]
        if key != "month":  # the biggest first; months stay in calendar order
            order = ["net", *(c.key for c in columns)]
            part = part.sort_values(order, ascending=[False] + [True] * len(columns), kind="stable")
        part = part.reset_index(drop=True)
        tables.append(
            TableSection(
                f"{currency} {_TITLES[key]}",
                [*columns, *per_currency_columns(_FIGURES, currency)],
                part,
                totals=True,
            )
        )
    return tables
