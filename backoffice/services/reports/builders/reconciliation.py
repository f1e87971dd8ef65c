"""The `reconciliation` report: what the clinic's money records disagree about in the period.

Three lists: payments whose refund fields disagree with their booking's or with the refund ledger
(`backoffice.refund_mismatches`, the view `refunds.list_refund_mismatches` and the dashboard read
too), payments that point to no booking, and bookings the website marked paid that have no
payment row. Reads payments, the money columns of bookings and the refund views: all readable by
finance.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.reports import Column, KeyFigure, KeyFiguresSection, ParagraphSection, Section
from backoffice.services.reports.builders.frames import frame, money_table
from backoffice.services.reports.types import ReportContent, ReportRequest
from backoffice.values import NO_CURRENCY

_PAID_IN_PERIOD = "p.payment_date >= :start AND p.payment_date < :end"
_BOOKED_IN_PERIOD = (
    "coalesce(b.invitee_created_at, b.booking_start_at) >= :start "
    "AND coalesce(b.invitee_created_at, b.booking_start_at) < :end"
)

_COUNTS = sa.text(f"""
SELECT (SELECT count(*) FROM public.payments p WHERE {_PAID_IN_PERIOD}) AS payments,
       (SELECT count(*) FROM public.bookings b WHERE {_BOOKED_IN_PERIOD}) AS bookings
""")

_MISMATCHES = sa.text(f"""
SELECT CAST(m.payment_id AS text) AS payment_id, m.booking_id, m.payment_date,
       coalesce(m.currency, '{NO_CURRENCY}') AS currency, m.paid,
       m.refund_amount AS payment_refund, m.booking_amount AS booking_refund,
       m.ledger_amount AS ledger_refund,
       coalesce(m.refund_status, '') AS payment_status,
       coalesce(m.booking_status, '') AS booking_status,
       concat_ws(', ',
         CASE WHEN m.has_booking AND m.refund_amount IS DISTINCT FROM m.booking_amount
              THEN 'amount' END,
         CASE WHEN m.has_booking AND m.refund_status IS DISTINCT FROM m.booking_status
              THEN 'status' END,
         CASE WHEN m.has_booking AND m.refund_id IS DISTINCT FROM m.booking_refund_id
              THEN 'refund id' END,
         CASE WHEN m.has_booking AND m.refund_failed_date IS DISTINCT FROM m.booking_failed_at
              THEN 'failure time' END,
         CASE WHEN m.ledger_differs THEN 'ledger' END
       ) AS disagreement
FROM backoffice.refund_mismatches m
WHERE m.payment_date >= :start AND m.payment_date < :end
ORDER BY m.payment_date, m.payment_id
""")

_UNBOOKED = sa.text(f"""
SELECT CAST(p.payment_id AS text) AS payment_id, p.payment_date, coalesce(p.payment_reference_id, '') AS reference,
       p.invitee_name AS client, p.payment_gateway_name AS gateway,
       coalesce(p.currency, '{NO_CURRENCY}') AS currency, p.amount,
       coalesce(p.booking_id, '(none)') AS booking_id
FROM public.payments p
WHERE {_PAID_IN_PERIOD}
  AND (p.booking_id IS NULL
       OR NOT EXISTS (SELECT 1 FROM public.bookings b WHERE b.booking_id = p.booking_id))
ORDER BY p.payment_date, p.payment_id
""")

_UNPAID = sa.text(f"""
SELECT b.booking_id, coalesce(b.invitee_created_at, b.booking_start_at) AS booked_at,
       b.booking_start_at AS session_at, b.invitee_name AS client,
       coalesce(t.name, b.booking_host_name) AS therapist, b.invitee_payment_gateway AS gateway,
       coalesce(b.invitee_payment_reference_id, '') AS reference,
       coalesce(b.invitee_payment_currency, '{NO_CURRENCY}') AS currency,
       b.invitee_payment_amount AS amount
FROM public.bookings b
LEFT JOIN public.therapists t ON t.therapist_id = b.therapist_id
WHERE {_BOOKED_IN_PERIOD} AND coalesce(b.invitee_payment_amount, 0) > 0
  AND NOT EXISTS (SELECT 1 FROM public.payments p WHERE p.booking_id = b.booking_id)
ORDER BY 2, b.booking_id
""")

_MISMATCH_COLUMNS = (
    Column("payment_id", "Payment"),
    Column("booking_id", "Booking"),
    Column("payment_date", "Paid on", "datetime"),
    Column("currency", "Cur."),
    Column("paid", "Paid", "money", total=False),
    Column("payment_refund", "Refund (payment)", "money", total=False),
    Column("booking_refund", "Refund (booking)", "money", total=False),
    Column("ledger_refund", "Refund (ledger)", "money", total=False),
    Column("payment_status", "Status (payment)"),
    Column("booking_status", "Status (booking)"),
    Column("disagreement", "What differs"),
)
_UNBOOKED_COLUMNS = (
    Column("payment_id", "Payment"),
    Column("payment_date", "Paid on", "datetime"),
    Column("reference", "Reference"),
    Column("client", "Client"),
    Column("gateway", "Gateway"),
    Column("booking_id", "Booking given"),
    Column("currency", "Cur."),
    Column("amount", "Amount", "money"),
)
_UNPAID_COLUMNS = (
    Column("booking_id", "Booking"),
    Column("booked_at", "Booked on", "datetime"),
    Column("session_at", "Session", "datetime"),
    Column("client", "Client"),
    Column("therapist", "Therapist"),
    Column("gateway", "Gateway"),
    Column("reference", "Reference"),
    Column("currency", "Cur."),
    Column("amount", "Amount", "money"),
)
NOTE = (
    "Payments are those made in the period; bookings those created in it. Refund fields are "
    "compared between each payment, its booking and the back-office's refund ledger; repair them "
    "on the Payments and refunds page."
)


def build_reconciliation(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    params = request.params()
    counts = uow.session.execute(_COUNTS, params).one()
    mismatches = frame(uow, _MISMATCHES, params)
    unbooked = frame(uow, _UNBOOKED, params)
    unpaid = frame(uow, _UNPAID, params)
    figures = KeyFiguresSection(
        [
            KeyFigure("Payments checked", counts.payments, "int"),
            KeyFigure("Refund fields disagree", len(mismatches), "int"),
            KeyFigure("Payments without a booking", len(unbooked), "int"),
            KeyFigure("Paid bookings without a payment", len(unpaid), "int"),
        ]
    )
    tables = _reconciliation_tables(mismatches, unbooked, unpaid)
    return ReportContent(
        sections=[figures, *tables, ParagraphSection(NOTE, note=True)],
        spreadsheet=tables,
        rows=len(mismatches) + len(unbooked) + len(unpaid),
        empty=counts.payments == 0 and counts.bookings == 0,
        empty_sentence="No payments were made and no bookings created in this period.",
    )


def _reconciliation_tables(
    mismatches: pd.DataFrame, unbooked: pd.DataFrame, unpaid: pd.DataFrame
) -> list[Section]:
    return [
        money_table(
            "Refund fields that disagree",
            _MISMATCH_COLUMNS,
            mismatches,
            empty_text="Every payment's refund fields agree with its booking and the ledger.",
        ),
        money_table(
            "Payments without a booking",
            _UNBOOKED_COLUMNS,
            unbooked,
            empty_text="Every payment points to a booking.",
        ),
        money_table(
            "Paid bookings without a payment",
            _UNPAID_COLUMNS,
            unpaid,
            empty_text="Every paid booking has its payment row.",
        ),
    ]
