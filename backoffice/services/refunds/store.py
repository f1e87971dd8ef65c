"""The SQL the refund workflows share: locking, loading, and writing the clinic's mirrored refund fields.

Only columns the finance role may read are ever named (never the clinical ones of `bookings`).
Timestamps written into the clinic's tables are its wall-clock time (IST), as it stores them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backoffice.errors import NotFound
from backoffice.models.backoffice import Refund, RefundEvent, Setting
from backoffice.models.clinic_bookings import Booking, Payment
from backoffice.models.refund_balances import RefundBalance
from backoffice.services.clock import clinic_timestamp
from backoffice.services.orm_tables import table_of
from backoffice.services.refunds.rules import needs_second_approver
from backoffice.services.refunds.types import RefundEventRow, RefundFields, RefundResult

THRESHOLD_KEY = "refunds.approval_threshold"

refunds = table_of(Refund)
events = table_of(RefundEvent)
balances = table_of(RefundBalance)
payments = table_of(Payment)
bookings = table_of(Booking)


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
    """The payment (locked FOR UPDATE when `lock`) and its booking's facts; NotFound otherwise."""
    p, b = payments.c, bookings.c
    query = sa.select(
        p.payment_id,
        p.booking_id,
        p.amount,
        p.currency,
        p.payment_date,
        p.payment_gateway_name,
        p.payment_reference_id,
        p.invitee_name,
        p.refund_amount,
        p.refund_status,
        p.refund_id,
        p.refund_failed_date,
    ).where(p.payment_id == payment_id)
    if lock:
        query = query.with_for_update()
    row = db.execute(query).first()
    if row is None:
        raise NotFound(f"There is no payment {payment_id}.")
    booking = (
        db.execute(
            sa.select(
                b.booking_id,
                b.refund_amount,
                b.refund_status,
                b.refund_id,
                b.refund_failed_time,
                b.booking_status,
                b.invitee_id,
                b.invitee_email,
                b.invitee_phone,
                b.booking_start_at,
                b.booking_subject,
            ).where(b.booking_id == row.booking_id)
        ).first()
        if row.booking_id is not None
        else None
    )
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
        booking=None
        if booking is None
        else RefundFields(
            booking.refund_amount,
            booking.refund_status,
            booking.refund_id,
            booking.refund_failed_time,
        ),
        booking_status=None if booking is None else booking.booking_status,
        client_id=None if booking is None else booking.invitee_id,
        client_email=None if booking is None else booking.invitee_email,
        client_phone=None if booking is None else booking.invitee_phone,
        session_start=None if booking is None else booking.booking_start_at,
        session_name=None if booking is None else booking.booking_subject,
    )


@dataclass(frozen=True)
class Totals:
    """A payment's refund totals: from `refund_balances`, or as the triggers would start them."""

    paid: Decimal
    refunded_before: Decimal
    reserved: Decimal
    completed: Decimal
    in_ledger: bool

    @property
    def refundable(self) -> Decimal:
        return self.paid - self.refunded_before - self.reserved

    @property
    def refunded(self) -> Decimal:
        return self.refunded_before + self.completed


def load_totals(db: Session, payment: PaymentFacts) -> Totals:
    row = db.execute(sa.select(balances).where(balances.c.payment_id == payment.payment_id)).first()
    if row is not None:
        return Totals(row.paid, row.refunded_before, row.reserved, row.completed, True)
    # Before its first refund here: what the payment already records as refunded (unless failed).
    legacy = payment.fields.amount or Decimal(0)
    if (payment.fields.status or "").lower() == "failed":
        legacy = Decimal(0)
    return Totals(payment.amount or Decimal(0), legacy, Decimal(0), Decimal(0), False)


def thresholds(db: Session) -> dict[str, Decimal]:
    """Approval thresholds per currency, from `settings` (as the trigger reads them)."""
    value = db.execute(sa.select(Setting.value).where(Setting.key == THRESHOLD_KEY)).scalar()
    if not isinstance(value, dict):
        return {}
    return {currency: Decimal(str(v)) for currency, v in value.items() if v is not None}


def approval_threshold(db: Session, currency: str) -> Decimal:
    """Above this amount a second person approves; a currency without a setting: always."""
    return thresholds(db).get(currency, Decimal(0))


def set_event_reason(db: Session, reason: str | None) -> None:
    """The reason the refund triggers write on the next ledger line of this transaction."""
    db.execute(sa.select(sa.func.set_config("backoffice.event_reason", reason or "", True)))


def load_refund_row(db: Session, refund_id: int, *, lock: bool = False) -> Any:
    query = sa.select(refunds).where(refunds.c.id == refund_id)
    if lock:
        query = query.with_for_update()
    row = db.execute(query).first()
    if row is None:
        raise NotFound(f"There is no refund {refund_id}.")
    return row


def to_result(row: Any, limits: dict[str, Decimal], **flags: bool) -> RefundResult:
    threshold = limits.get(row.currency, Decimal(0))
    return RefundResult(
        id=row.id,
        payment_id=row.payment_id,
        booking_id=row.booking_id,
        amount=row.amount,
        currency=row.currency,
        state=row.state,
        reason_code=row.reason_code,
        note=row.note,
        idempotency_key=row.idempotency_key,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        completed_at=row.completed_at,
        gateway_reference=row.gateway_reference,
        failure_message=row.failure_message,
        needs_second_approver=needs_second_approver(row.amount, threshold),
        **flags,
    )


def refund_result(db: Session, refund_id: int, **flags: bool) -> RefundResult:
    return to_result(load_refund_row(db, refund_id), thresholds(db), **flags)


def event_rows(db: Session, refund_id: int) -> tuple[RefundEventRow, ...]:
    rows = db.execute(
        sa.select(events).where(events.c.refund_id == refund_id).order_by(events.c.id)
    )
    return tuple(
        RefundEventRow(
            id=r.id,
            refund_id=r.refund_id,
            state=r.state,
            amount=r.amount,
            balance_before=r.balance_before,
            balance_after=r.balance_after,
            actor=r.actor,
            occurred_at=r.occurred_at,
            reason=r.reason,
            gateway_reference=r.gateway_reference,
        )
        for r in rows
    )


def write_refund_fields(
    db: Session, payment: PaymentFacts, fields: RefundFields, *, initiated: bool = False
) -> None:
    """Write the same refund fields to the payment and to its booking (the clinic's mirror)."""
    values: dict[str, Any] = {
        "refund_amount": fields.amount,
        "refund_status": fields.status,
        "refund_id": fields.refund_id,
        "refund_failed_date": fields.failed_at,
        "updated_at": clinic_timestamp(),
    }
    if initiated:
        values["refund_initiation_date"] = clinic_timestamp()
    db.execute(
        sa.update(payments).where(payments.c.payment_id == payment.payment_id).values(values)
    )
    if payment.booking_id is not None:
        db.execute(
            sa.update(bookings)
            .where(bookings.c.booking_id == payment.booking_id)
            .values(
                refund_amount=fields.amount,
                refund_status=fields.status,
                refund_id=fields.refund_id,
                refund_failed_time=fields.failed_at,
                booking_updated_at=clinic_timestamp(),
            )
        )
