"""The `ledger` report: every payment and every refund in the period, one line each.

The big one. Lines stream from one server-side cursor in DataFrame chunks straight into the
streaming table renderer, so memory stays flat whatever the row count. The PDF has one table per
currency (ordered by currency, then time, so one cursor serves them all in turn) with its total;
the spreadsheets one long table with a currency column. A first aggregate gives the totals per
currency, which also say how many lines to expect.

Refund lines are `backoffice.refund_lines`, the one definition of what was refunded, one line per
refund: those completed through the back-office (when the gateway confirmed them) and those the
booking website recorded as processed before the back-office touched the payment (when they were
initiated). Reads what finance may read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

import numpy as np
import pandas as pd
import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.reports import Column, ParagraphSection, Section, TableSection
from backoffice.services.reports.builders.frames import (
    column_total,
    frame,
    money_table,
    stream_frames,
)
from backoffice.services.reports.types import ReportContent, ReportRequest
from backoffice.values import NO_CURRENCY


def _lines(*, therapists: bool) -> str:
    """The ledger lines; without `therapists` the bookings are not joined (the totals need no
    names), which spares reading every booking when the period holds many payments."""
    join = "LEFT JOIN public.bookings b ON b.booking_id = p.booking_id" if therapists else ""
    therapist = "b.therapist_id" if therapists else "CAST(NULL AS varchar)"
    return f"""
WITH lines AS (
    SELECT p.payment_date AS at, 'Payment' AS kind, p.payment_id,
           p.payment_reference_id AS reference, p.invitee_name AS client,
           {therapist} AS therapist_id, p.payment_gateway_name AS gateway,
           coalesce(p.currency, '{NO_CURRENCY}') AS currency, p.amount
    FROM public.payments p {join}
    WHERE p.payment_date >= :start AND p.payment_date < :end
  UNION ALL
    SELECT r.refunded_at, 'Refund', r.payment_id, r.reference, p.invitee_name,
           {therapist}, p.payment_gateway_name, coalesce(r.currency, '{NO_CURRENCY}'), -r.amount
    FROM backoffice.refund_lines r
    JOIN public.payments p ON p.payment_id = r.payment_id {join}
    WHERE r.refunded_at >= :start AND r.refunded_at < :end
)
"""


def _only_therapist(therapist: bool) -> str:
    return "WHERE l.therapist_id = :therapist" if therapist else ""


def totals_statement(*, therapist: bool) -> sa.TextClause:
    """Per currency: payments, refunds, their sums and the line count (`:therapist` if given)."""
    return sa.text(f"""{_lines(therapists=therapist)}
SELECT l.currency, count(*) FILTER (WHERE l.kind = 'Payment') AS payments,
       coalesce(sum(l.amount) FILTER (WHERE l.kind = 'Payment'), 0) AS paid,
       count(*) FILTER (WHERE l.kind = 'Refund') AS refunds,
       coalesce(sum(l.amount) FILTER (WHERE l.kind = 'Refund'), 0) AS refunded,
       coalesce(sum(l.amount), 0) AS net, count(*) AS lines
FROM lines l {_only_therapist(therapist)}
GROUP BY l.currency ORDER BY count(*) DESC, l.currency
""")


def lines_statement(*, therapist: bool) -> sa.TextClause:
    """Every line, ordered by the currencies of `:currencies`, then time."""
    return sa.text(f"""{_lines(therapists=True)}
SELECT l.at, l.kind, CAST(l.payment_id AS text) AS payment_id,
       coalesce(l.reference, '') AS reference, l.client, t.name AS therapist, l.gateway,
       l.currency, l.amount
FROM lines l LEFT JOIN public.therapists t ON t.therapist_id = l.therapist_id
{_only_therapist(therapist)}
ORDER BY array_position(CAST(:currencies AS text[]), l.currency), l.at, l.payment_id, l.kind
""")


# The report reads every line: plan for the whole result, not for the first rows (a cursor's
# default), and sort 100,000 lines in memory rather than spilling them to disk (default 4 MB).
_WHOLE_RESULT = (
    sa.text("SET LOCAL cursor_tuple_fraction = 1.0"),
    sa.text("SET LOCAL work_mem = '64MB'"),
)

_LINE_COLUMNS = (
    Column("at", "Date/time", "datetime"),
    Column("kind", "Type"),
    Column("payment_id", "Payment"),
    Column("reference", "Reference"),
    Column("client", "Client"),
    Column("therapist", "Therapist"),
    Column("gateway", "Gateway"),
)
_AMOUNT = Column("amount", "Amount", "money")
_TOTAL_COLUMNS = (
    Column("currency", "Currency"),
    Column("payments", "Payments", "int"),
    Column("paid", "Paid", "money"),
    Column("refunds", "Refunds", "int"),
    Column("refunded", "Refunded", "money"),
    Column("net", "Net", "money"),
)
NOTE = (
    "One line per payment made and per refund returned in the period; refunds are negative. "
    "A refund counts once it is confirmed: processed as the booking website recorded it, or "
    "completed in the back-office; refunds still pending are not lines."
)


def build_ledger(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    filtered = request.therapist_id is not None
    totals = frame(uow, totals_statement(therapist=filtered), request.params())
    order = list(totals["currency"])
    for setting in _WHOLE_RESULT:
        uow.session.execute(setting)
    lines = lines_statement(therapist=filtered)
    open_lines = partial(stream_frames, uow, lines, request.params(currencies=order))
    totals_table = money_table(
        "Totals by currency",
        _TOTAL_COLUMNS,
        totals,
        empty_text="No payments or refunds in this period.",
    )
    everything = TableSection(
        "Ledger", (*_LINE_COLUMNS, Column("currency", "Currency"), _AMOUNT), open_lines
    )
    count = column_total(totals, "lines")
    return ReportContent(
        sections=[
            totals_table,
            *_currency_tables(order, _CurrencyRuns(open_lines)),
            ParagraphSection(NOTE, note=True),
        ],
        spreadsheet=[everything, totals_table],
        rows=count + len(totals),
        empty=count == 0,
        empty_sentence="No payments or refunds in this period.",
    )


def _currency_tables(order: list[str], runs: _CurrencyRuns) -> list[Section]:
    """One table per currency, in the order the cursor returns them, each with its total."""
    return [
        TableSection(
            f"Ledger in {currency}",
            (*_LINE_COLUMNS, Column("amount", f"Amount ({currency})", "money", currency)),
            partial(runs.run, currency),
            totals=True,
        )
        for currency in order
    ]


class _CurrencyRuns:
    """One cursor's chunks, ordered by currency, handed out as one run per currency in turn."""

    def __init__(self, open_chunks: Callable[[], Iterator[pd.DataFrame]]) -> None:
        self._open = open_chunks
        self._chunks: Iterator[pd.DataFrame] | None = None
        self._pending: pd.DataFrame | None = None

    def run(self, currency: str) -> Iterator[pd.DataFrame]:
        while (chunk := self._next()) is not None:
            others = chunk["currency"].to_numpy() != currency
            if others.any():  # the next currency starts inside this chunk
                ends_at = int(np.argmax(others))
                self._pending = chunk.iloc[ends_at:]
                if ends_at:
                    yield chunk.iloc[:ends_at]
                return
            yield chunk

    def _next(self) -> pd.DataFrame | None:
        if self._pending is not None:
            chunk, self._pending = self._pending, None
            return chunk
        if self._chunks is None:
            self._chunks = self._open()
        return next(self._chunks, None)
