"""A payment as the refunds see it: its facts and its booking's refund fields, and its refund totals
as `backoffice.payment_refunds` defines them.

Only columns the finance role may read are ever named (never the clinical ones of `bookings`).
Nothing here writes the refund fields: the database's definer functions do (migration 0004).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backoffice.errors import NotFound
from backoffice.models.clinic_bookings import Booking, Payment
from backoffice.services.orm_tables import table_of
from backoffice.services.refunds.types import RefundFields

payments = table_of(Payment)
bookings = table_of(Booking)

_LOCK = sa.text("SELECT backoffice.lock_payment_for_refund(:payment_id)")
_PAYMENT_COLUMNS = (
    payments.c.payment_id,
    payments.c.booking_id,
    payments.c.amount,
    payments.c.currency,
    payments.c.payment_date,
    payments.c.payment_gateway_name,
    payments.c.payment_reference_id,
    payments.c.invitee_name,
    payments.c.refund_amount,
    payments.c.refund_status,
    payments.c.refund_id,
    payments.c.refund_failed_date,
)
_BOOKING_COLUMNS = (
    bookings.c.booking_id,
    bookings.c.refund_amount,
    bookings.c.refund_status,
    bookings.c.refund_id,
    bookings.c.refund_failed_time,
    bookings.c.booking_status,
    bookings.c.invitee_id,
    bookings.c.invitee_email,
    bookings.c.invitee_phone,
    bookings.c.booking_start_at,
    bookings.c.booking_subject,
)


@dataclass(frozen=True)
class PaymentFacts:
    """A payment and the facts of its booking that refunds need."""

    payment_id: int
    booking_id: str | None
    amount: Decimal | None
    currency: str | None
    payment_date: dt.datetime | None
    gateway: str | None
    payment_reference: str | None
    client_name: str | None
    fields: RefundFields
    booking: RefundFields | None
    booking_status: str | None
    client_id: str | None
    client_email: str | None
    client_phone: str | None
    session_start: dt.datetime | None
    session_name: str | None

    @property
    def fields_agree(self) -> bool:
        return self.booking is None or same_fields(self.fields, self.booking)


def same_fields(a: RefundFields, b: RefundFields) -> bool:
    return a == b


def load_payment(db: Session, payment_id: int, *, lock: bool = False) -> PaymentFacts:
    """The payment (its row locked for this transaction when `lock`) and its booking's facts;
    NotFound otherwise. Staff may not `SELECT ... FOR UPDATE` a payment (that needs UPDATE), so
    the lock is taken by the database's `lock_payment_for_refund`."""
    if lock:
        db.execute(_LOCK, {"payment_id": payment_id})
    query = sa.select(*_PAYMENT_COLUMNS).where(payments.c.payment_id == payment_id)
    row = db.execute(query).first()
    if row is None:
        raise NotFound(f"There is no payment {payment_id}.")
    booking = None
    if row.booking_id is not None:
        of_booking = sa.select(*_BOOKING_COLUMNS).where(bookings.c.booking_id == row.booking_id)
        booking = db.execute(of_booking).first()
    return _payment_facts(row, booking)


def _payment_facts(row: Any, booking: Any) -> PaymentFacts:
    """The payment's row and its booking's (None when the payment has no booking row)."""
    return PaymentFacts(
        payment_id=row.payment_id,
        booking_id=row.booking_id,
        amount=row.amount,
        currency=row.currency,
        payment_date=row.payment_date,
        gateway=row.payment_gateway_name,
        payment_reference=row.payment_reference_id,
        client_name=row.invitee_name,
        fields=RefundFields(
            row.refund_amount, row.refund_status, row.refund_id, row.refund_failed_date
        ),
        booking=_booking_fields(booking),
        booking_status=None if booking is None else booking.booking_status,
        client_id=None if booking is None else booking.invitee_id,
        client_email=None if booking is None else booking.invitee_email,
        client_phone=None if booking is None else booking.invitee_phone,
        session_start=None if booking is None else booking.booking_start_at,
        session_name=None if booking is None else booking.booking_subject,
    )


def _booking_fields(booking: Any) -> RefundFields | None:
    if booking is None:
        return None
    return RefundFields(
        booking.refund_amount, booking.refund_status, booking.refund_id, booking.refund_failed_time
    )


_TOTALS = sa.text(
    "SELECT paid, refunded, unconfirmed, refundable, in_ledger FROM backoffice.payment_refunds "
    "WHERE payment_id = :payment_id"
)


@dataclass(frozen=True)
class Totals:
    """A payment's refund figures, as `backoffice.payment_refunds` defines them (the one place)."""

    paid: Decimal
    refunded: Decimal
    unconfirmed: Decimal
    refundable: Decimal
    in_ledger: bool


def load_totals(db: Session, payment_id: int) -> Totals:
    row = db.execute(_TOTALS, {"payment_id": payment_id}).one()
    return Totals(
        row.paid or Decimal(0), row.refunded, row.unconfirmed, row.refundable, row.in_ledger
    )
