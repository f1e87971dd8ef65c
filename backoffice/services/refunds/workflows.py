"""Refund workflows: requested -> approved -> completed | failed, requested -> rejected, failed -> approved.

Every workflow checks its permission, locks the payment row (`SELECT ... FOR UPDATE`) and then the
refund, so that two people acting at once on one payment queue up instead of refunding past what
was paid; it writes an audit event in the same transaction, commits, and returns a frozen value.
PostgreSQL holds the same line on its own (migration 0003_refund_rules): the ledger of every state
change, the balance CHECK, the state machine, and the four-eyes rule compared with `session_user`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backoffice.db import UnitOfWork
from backoffice.errors import PermissionDenied
from backoffice.services import audit
from backoffice.services.clock import clinic_now
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.refunds.effects import (
    add_refund_cancellation_row,
    check_cancellable,
    mark_session_cancelled,
    notify_requester,
)
from backoffice.services.refunds.gateway import DASHBOARD, GatewayRefundOrder, RefundGateway
from backoffice.services.refunds.payments import (
    PaymentFacts,
    load_payment,
    load_totals,
    write_refund_fields,
)
from backoffice.services.refunds.requests import (
    check_reference_unused,
    insert_refund,
    refund_amount,
    refund_by_key,
    replay,
)
from backoffice.services.refunds.rules import (
    check_idempotency_key,
    check_reason,
    check_transition,
    needs_second_approver,
    required_text,
)
from backoffice.services.refunds.store import (
    approval_threshold,
    load_refund_row,
    refund_result,
    refunds,
    set_event_reason,
)
from backoffice.services.refunds.types import RefundFields, RefundResult
from backoffice.values import money_text

P = Permission


def request_refund(
    uow: UnitOfWork,
    actor: Actor,
    *,
    payment_id: int,
    amount: Decimal | str | int | None,
    reason_code: str,
    note: str | None = None,
    cancel_session: bool = False,
    idempotency_key: str,
) -> RefundResult:
    """Ask for a refund of `amount` (None: all that is left) of a payment, optionally cancelling its session.

    Permission: REQUEST_REFUNDS. One transaction (the payment row locked); audit event
    "refund.requested". Repeating a request with the same `idempotency_key` returns the first
    refund (`replayed=True`) and changes nothing. Raises PermissionDenied, NotFound (payment),
    ValidationError (amount, reason, note, session already held), ConflictError (nothing left to
    refund, refund fields that disagree with the booking, key used for another refund).
    """
    require(actor, P.REQUEST_REFUNDS)
    key = check_idempotency_key(idempotency_key)
    code, text = check_reason(reason_code, note)
    db = uow.session
    payment = load_payment(db, payment_id, lock=True)
    earlier = refund_by_key(db, key)
    if earlier is not None:
        return replay(db, earlier, payment_id=payment_id, amount=amount)
    value = refund_amount(payment, load_totals(db, payment), amount)
    cancelling = check_cancellable(payment) if cancel_session else False
    refund_id = insert_refund(
        db, payment_id=payment_id, amount=value, code=code, note=text, key=key
    )
    if refund_id is None:  # another connection committed this key meanwhile
        return replay(db, refund_by_key(db, key), payment_id=payment_id, amount=amount)
    if cancelling:
        mark_session_cancelled(db, payment, reason_code=code, note=text)
    audit.record(
        uow,
        "refund.requested",
        subject_type="refund",
        subject_id=refund_id,
        details={
            "payment_id": payment_id,
            "amount": value,
            "currency": payment.currency,
            "reason_code": code,
            "session_cancelled": cancelling,
        },
    )
    result = refund_result(db, refund_id, session_cancelled=cancelling)
    uow.commit()
    return result


def approve_refund(uow: UnitOfWork, actor: Actor, *, refund_id: int) -> RefundResult:
    """Approve a requested refund; above the threshold only someone other than its requester may.

    Permission: APPROVE_REFUNDS. One transaction (payment and refund locked); audit event
    "refund.approved". Raises PermissionDenied (also from PostgreSQL, which compares
    `session_user` with the requester), NotFound, ConflictError (not awaiting approval).
    """
    require(actor, P.APPROVE_REFUNDS)
    row, _ = _lock(uow.session, refund_id)
    target = check_transition(refund_id, row.state, "approve")
    threshold = approval_threshold(uow.session, row.currency)
    if needs_second_approver(row.amount, threshold) and row.requested_by == actor.login_role:
        raise PermissionDenied(
            f"You requested refund {refund_id} yourself: above "
            f"{money_text(threshold, row.currency)} someone else must approve it."
        )
    return _change(uow, row, target, "refund.approved")


def reject_refund(uow: UnitOfWork, actor: Actor, *, refund_id: int, reason: str) -> RefundResult:
    """Reject a requested refund with a reason; its amount becomes refundable again.

    Permission: APPROVE_REFUNDS. One transaction; audit event "refund.rejected".
    Raises PermissionDenied, NotFound, ValidationError (no reason), ConflictError (not requested).
    """
    require(actor, P.APPROVE_REFUNDS)
    why = required_text(reason, what="why the refund is rejected")
    row, _ = _lock(uow.session, refund_id)
    target = check_transition(refund_id, row.state, "reject")
    return _change(uow, row, target, "refund.rejected", reason=why)


def complete_refund(
    uow: UnitOfWork,
    actor: Actor,
    *,
    refund_id: int,
    gateway_reference: str | None = None,
    gateway: RefundGateway = DASHBOARD,
) -> RefundResult:
    """Have the gateway refund an approved refund and record the outcome.

    With the default gateway (a refund already made in the gateway's dashboard) give the
    `gateway_reference` it showed. On success the refund is completed and, in the same
    transaction, `payments` and its `bookings` row get the same refund fields (refund_amount is
    everything refunded), a `refund_cancellation_table` row and a notification are added. A
    gateway that declines marks the refund failed instead (see `fail_refund`).

    Permission: COMPLETE_REFUNDS. One transaction (payment and refund locked); audit event
    "refund.completed" (or "refund.failed"). Raises PermissionDenied, NotFound, ValidationError
    (reference), ConflictError (not approved, reference already recorded for another refund).
    """
    require(actor, P.COMPLETE_REFUNDS)
    db = uow.session
    row, payment = _lock(db, refund_id)
    target = check_transition(refund_id, row.state, "complete")
    outcome = gateway.refund(
        GatewayRefundOrder(
            refund_id=refund_id,
            payment_reference=payment.payment_reference,
            gateway_name=payment.gateway,
            amount=row.amount,
            currency=row.currency,
            idempotency_key=row.idempotency_key,
            reference=gateway_reference,
        )
    )
    if not outcome.succeeded:
        message = outcome.message or "The gateway declined the refund."
        return _record_failure(uow, row, payment, message, reference=outcome.reference)
    check_reference_unused(db, refund_id, outcome.reference)
    db.execute(_set(refund_id, state=target, gateway_reference=outcome.reference))
    totals = load_totals(db, payment)
    fields = RefundFields(totals.refunded, "processed", outcome.reference, None)
    write_refund_fields(db, payment, fields, initiated=True)
    add_refund_cancellation_row(db, payment, status="processed", refund_reference=outcome.reference)
    notify_requester(
        db,
        row,
        kind="refund_completed",
        title="Refund completed",
        outcome=f"was completed ({outcome.reference})",
    )
    return _finish(
        uow,
        refund_id,
        "refund.completed",
        {
            "gateway": gateway.name,
            "gateway_reference": outcome.reference,
            "payment_refund_amount": totals.refunded,
        },
    )


def fail_refund(uow: UnitOfWork, actor: Actor, *, refund_id: int, message: str) -> RefundResult:
    """Record that the gateway did not make an approved refund, in the gateway's words.

    The payment and its booking show the refund as failed; the requester is notified; the amount
    stays reserved until the refund is retried (`retry_refund`).
    Permission: COMPLETE_REFUNDS. One transaction; audit event "refund.failed".
    Raises PermissionDenied, NotFound, ValidationError (no message), ConflictError (not approved).
    """
    require(actor, P.COMPLETE_REFUNDS)
    text = required_text(message, what="the gateway's message")
    row, payment = _lock(uow.session, refund_id)
    check_transition(refund_id, row.state, "fail")
    return _record_failure(uow, row, payment, text, reference=None)


def retry_refund(uow: UnitOfWork, actor: Actor, *, refund_id: int) -> RefundResult:
    """Send a failed refund back to approved, to be completed again (its approver stays).

    Permission: APPROVE_REFUNDS. One transaction; audit event "refund.retried".
    Raises PermissionDenied, NotFound, ConflictError (not failed).
    """
    require(actor, P.APPROVE_REFUNDS)
    row, _ = _lock(uow.session, refund_id)
    target = check_transition(refund_id, row.state, "retry")
    return _change(uow, row, target, "refund.retried")


# --- helpers ----------------------------------------------------------------------------------
def _lock(db: Session, refund_id: int) -> tuple[Any, PaymentFacts]:
    """Lock the refund's payment, then the refund: the same order as a request, so no deadlock."""
    payment_id = load_refund_row(db, refund_id).payment_id
    payment = load_payment(db, payment_id, lock=True)
    return load_refund_row(db, refund_id, lock=True), payment


def _set(refund_id: int, **values: Any) -> sa.Update:
    return sa.update(refunds).where(refunds.c.id == refund_id).values(**values)


def _change(
    uow: UnitOfWork, row: Any, target: str, action: str, *, reason: str | None = None
) -> RefundResult:
    set_event_reason(uow.session, reason)
    uow.session.execute(_set(row.id, state=target))
    details = {"payment_id": row.payment_id, "amount": row.amount, "currency": row.currency}
    return _finish(uow, row.id, action, details | ({"reason": reason} if reason else {}))


def _finish(uow: UnitOfWork, refund_id: int, action: str, details: dict[str, Any]) -> RefundResult:
    audit.record(uow, action, subject_type="refund", subject_id=refund_id, details=details)
    result = refund_result(uow.session, refund_id)
    uow.commit()
    return result


def _record_failure(
    uow: UnitOfWork, row: Any, payment: PaymentFacts, message: str, *, reference: str | None
) -> RefundResult:
    db = uow.session
    db.execute(_set(row.id, state="failed", failure_message=message, gateway_reference=reference))
    totals = load_totals(db, payment)
    amount = None if totals.refunded == 0 and payment.fields.amount is None else totals.refunded
    fields = RefundFields(amount, "failed", reference or payment.fields.refund_id, clinic_now(uow))
    write_refund_fields(db, payment, fields)
    notify_requester(
        db, row, kind="refund_failed", title="Refund failed", outcome=f"failed: {message}"
    )
    return _finish(uow, row.id, "refund.failed", {"payment_id": row.payment_id, "message": message})
