"""Reconciliation: payments whose refund fields disagree with their booking's or with the refund ledger.

The clinic keeps the refund fields twice (`payments` and `bookings`) and its other programs write
them, so they drift. A repair writes one agreed set of fields to both rows: the ledger's when the
back-office refunded the payment (its refunds are the truth), otherwise the side a person chose.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError, ValidationError
from backoffice.services import audit
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.refunds.payments import load_payment, write_refund_fields
from backoffice.services.refunds.types import RefundFields, RefundMismatch, RepairResult
from backoffice.values import money_text

_MISMATCHES = sa.text("""
WITH m AS (
    SELECT p.payment_id, p.booking_id, p.currency, p.amount AS paid,
           p.refund_amount, p.refund_status, p.refund_id, p.refund_failed_date,
           b.booking_id AS b_booking_id, b.refund_amount AS b_amount, b.refund_status AS b_status,
           b.refund_id AS b_refund_id, b.refund_failed_time AS b_failed,
           rb.refunded_before + rb.completed AS ledger_amount
    FROM public.payments p
    LEFT JOIN public.bookings b ON b.booking_id = p.booking_id
    LEFT JOIN backoffice.refund_balances rb ON rb.payment_id = p.payment_id
    WHERE (CAST(:payment_id AS integer) IS NULL OR p.payment_id = :payment_id)
      AND ((b.booking_id IS NOT NULL
            AND (p.refund_amount, p.refund_status, p.refund_id, p.refund_failed_date)
                IS DISTINCT FROM (b.refund_amount, b.refund_status, b.refund_id, b.refund_failed_time))
           OR (rb.payment_id IS NOT NULL
               AND coalesce(p.refund_amount, 0) <> rb.refunded_before + rb.completed))
    ORDER BY p.payment_id
    LIMIT :limit
)
SELECT m.*, last.state AS last_state, last.gateway_reference AS last_reference
FROM m LEFT JOIN LATERAL (
    SELECT e.state, e.gateway_reference
    FROM backoffice.refund_events e JOIN backoffice.refunds r ON r.id = e.refund_id
    WHERE r.payment_id = m.payment_id AND e.state IN ('completed', 'failed')
    ORDER BY e.id DESC LIMIT 1
) last ON true
ORDER BY m.payment_id
""")


def list_refund_mismatches(
    uow: UnitOfWork, actor: Actor, *, limit: int = 500
) -> tuple[RefundMismatch, ...]:
    """Payments whose refund fields disagree with their booking's or with the refund ledger.

    Permission: VIEW_PAYMENTS. Read only. Raises PermissionDenied.
    """
    require(actor, Permission.VIEW_PAYMENTS)
    rows = uow.session.execute(_MISMATCHES, {"payment_id": None, "limit": max(1, limit)})
    return tuple(_mismatch(row) for row in rows)


def repair_refund_mismatch(
    uow: UnitOfWork, actor: Actor, *, payment_id: int, keep: str
) -> RepairResult:
    """Write one agreed set of refund fields to the payment and its booking.

    `keep` is "ledger" when the back-office refunded this payment (its refunds are the truth),
    otherwise "payment" or "booking": whichever side a person found right.
    Permission: REPAIR_PAYMENTS. One transaction (the payment row locked); audit event
    "refund.mismatch_repaired" with the fields before and after. Raises PermissionDenied,
    NotFound, ValidationError (a `keep` this payment does not offer), ConflictError (they agree).
    """
    require(actor, Permission.REPAIR_PAYMENTS)
    payment = load_payment(uow.session, payment_id, lock=True)
    mismatch = _repairable_mismatch(uow, payment_id, keep)
    sides = {"ledger": mismatch.ledger, "payment": mismatch.payment, "booking": mismatch.booking}
    target = sides[keep]
    assert target is not None  # keep_choices only offers the sides that exist
    write_refund_fields(uow.session, payment, target)
    audit.record(
        uow,
        "refund.mismatch_repaired",
        subject_type="payment",
        subject_id=payment_id,
        details={
            "kept": keep,
            "payment_before": _plain(mismatch.payment),
            "booking_before": _plain(mismatch.booking),
            "after": _plain(target),
        },
    )
    uow.commit()
    return RepairResult(payment_id, keep, mismatch.payment, mismatch.booking, target)


def _repairable_mismatch(uow: UnitOfWork, payment_id: int, keep: str) -> RefundMismatch:
    """The payment's mismatch, when its fields disagree and `keep` is one of its choices."""
    row = uow.session.execute(_MISMATCHES, {"payment_id": payment_id, "limit": 1}).first()
    if row is None:
        raise ConflictError(f"The refund fields of payment {payment_id} already agree.")
    mismatch = _mismatch(row)
    if keep not in mismatch.keep_choices:
        raise ValidationError(
            f"For payment {payment_id} you can keep: {' or '.join(mismatch.keep_choices)}."
        )
    return mismatch


def _mismatch(row: Any) -> RefundMismatch:
    payment = RefundFields(
        row.refund_amount, row.refund_status, row.refund_id, row.refund_failed_date
    )
    booking = None
    if row.b_booking_id is not None:
        booking = RefundFields(row.b_amount, row.b_status, row.b_refund_id, row.b_failed)
    ledger = _ledger_fields(row, payment)
    problems = _problems(row.currency or "", payment, booking, ledger)
    choices = ("ledger",) if ledger is not None else ("payment", "booking") if booking else ()
    return RefundMismatch(
        row.payment_id,
        row.booking_id,
        row.currency,
        row.paid,
        payment,
        booking,
        ledger,
        problems,
        choices,
    )


def _ledger_fields(row: Any, payment: RefundFields) -> RefundFields | None:
    """What the payment's fields should say according to the back-office's refunds."""
    if row.ledger_amount is None:
        return None
    amount = None if row.ledger_amount == 0 and payment.amount is None else row.ledger_amount
    if row.last_state == "completed":
        return RefundFields(amount, "processed", row.last_reference, None)
    if row.last_state == "failed":
        return RefundFields(
            amount, "failed", row.last_reference or payment.refund_id, payment.failed_at
        )
    return RefundFields(amount, payment.status, payment.refund_id, payment.failed_at)


def _problems(
    currency: str, payment: RefundFields, booking: RefundFields | None, ledger: RefundFields | None
) -> tuple[str, ...]:
    found = []
    if booking is not None:
        if payment.amount != booking.amount:
            found.append(
                f"The payment says {_money(payment.amount, currency)} was refunded, "
                f"its booking says {_money(booking.amount, currency)}."
            )
        if payment.status != booking.status:
            found.append(
                f"The payment's refund status is {payment.status or 'empty'}, its "
                f"booking's is {booking.status or 'empty'}."
            )
        if payment.refund_id != booking.refund_id:
            found.append(
                f"The payment's refund id is {payment.refund_id or 'empty'}, its "
                f"booking's is {booking.refund_id or 'empty'}."
            )
        if payment.failed_at != booking.failed_at:
            found.append("The payment and its booking record different refund failure times.")
    if ledger is not None and (payment.amount or 0) != (ledger.amount or 0):
        found.append(
            f"The refunds recorded here add up to {_money(ledger.amount, currency)}, "
            f"but the payment says {_money(payment.amount, currency)}."
        )
    return tuple(found)


def _money(amount: Decimal | None, currency: str) -> str:
    return "nothing" if amount is None else money_text(amount, currency)


def _plain(fields: RefundFields | None) -> dict[str, Any] | None:
    if fields is None:
        return None
    return {
        "amount": fields.amount,
        "status": fields.status,
        "refund_id": fields.refund_id,
        "failed_at": fields.failed_at,
    }
