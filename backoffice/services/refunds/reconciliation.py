"""Reconciliation: payments whose refund fields disagree with their booking's or with the refund ledger.

The clinic keeps the refund fields twice (`payments` and `bookings`) and its other programs write
them, so they drift. Which payments disagree is the database's `backoffice.refund_mismatches`
(the same view the dashboard and the reconciliation report count); a repair is its
`repair_refund_fields`, which writes one agreed set of fields to both rows (the ledger's when the
back-office refunded the payment, otherwise the side a person chose) and its own audit event.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError, ValidationError
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.refunds.payments import load_payment
from backoffice.services.refunds.types import RefundFields, RefundMismatch, RepairResult
from backoffice.values import money_text

_MISMATCHES = sa.text("""
SELECT m.*, p.invitee_name AS client_name FROM backoffice.refund_mismatches m
LEFT JOIN public.payments p ON p.payment_id = m.payment_id
WHERE CAST(:payment_id AS integer) IS NULL OR m.payment_id = :payment_id
ORDER BY m.payment_id LIMIT :limit
""")
_REPAIR = sa.text("SELECT * FROM backoffice.repair_refund_fields(:payment_id, :keep)")


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
    "refund.mismatch_repaired" with the fields before and after, written by the database's
    `repair_refund_fields`. Raises PermissionDenied, NotFound, ValidationError (a `keep` this
    payment does not offer), ConflictError (they agree).
    """
    require(actor, Permission.REPAIR_PAYMENTS)
    load_payment(uow.session, payment_id, lock=True)
    mismatch = _repairable_mismatch(uow, payment_id, keep)
    after = uow.session.execute(_REPAIR, {"payment_id": payment_id, "keep": keep}).one()
    uow.commit()
    return RepairResult(payment_id, keep, mismatch.payment, mismatch.booking, RefundFields(*after))


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
    if row.has_booking:
        booking = RefundFields(
            row.booking_amount, row.booking_status, row.booking_refund_id, row.booking_failed_at
        )
    ledger = None
    if row.in_ledger:
        ledger = RefundFields(
            row.ledger_amount, row.ledger_status, row.ledger_refund_id, row.ledger_failed_at
        )
    problems = _problems(row.currency or "", payment, booking)
    problems += _ledger_problems(row.currency or "", payment, ledger)
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
        client_name=row.client_name,
        paid_on=row.payment_date,
    )


def _problems(
    currency: str, payment: RefundFields, booking: RefundFields | None
) -> tuple[str, ...]:
    """What differs between the payment and its booking (None: nothing to say)."""
    found: list[str] = []
    if booking is not None:
        if payment.amount != booking.amount:
            found.append(
                f"The payment says {_money(payment.amount, currency)} was refunded; "
                f"the booking says {_money(booking.amount, currency)}."
            )
        if payment.status != booking.status:
            found.append(
                f"The payment says the refund is {_status(payment.status)}; the booking "
                f"says {_status(booking.status)}."
            )
        if payment.refund_id != booking.refund_id:
            found.append(
                f"The payment gives the refund reference {payment.refund_id or 'none'}; the "
                f"booking gives {booking.refund_id or 'none'}."
            )
        if payment.failed_at != booking.failed_at:
            found.append("The payment and its booking record different refund failure times.")
    return tuple(found)


def _ledger_problems(
    currency: str, payment: RefundFields, ledger: RefundFields | None
) -> tuple[str, ...]:
    """What differs between the payment and what the ledger says it should show."""
    found: list[str] = []
    if ledger is None:
        return ()
    if payment.amount != ledger.amount:
        found.append(
            f"The refunds recorded here add up to {_money(ledger.amount, currency)}, "
            f"but the payment says {_money(payment.amount, currency)}."
        )
    if (payment.status, payment.refund_id) != (ledger.status, ledger.refund_id):
        found.append(
            f"The refunds recorded here say {ledger.status or 'nothing'} "
            f"({ledger.refund_id or 'no reference'}), but the payment says "
            f"{payment.status or 'nothing'} ({payment.refund_id or 'no reference'})."
        )
    return tuple(found)


def _status(status: str | None) -> str:
    return status.replace("_", " ") if status else "not started"


def _money(amount: Decimal | None, currency: str) -> str:
    return "nothing" if amount is None else money_text(amount, currency)
