"""Refund workflows: requested -> approved -> completed | failed, requested -> rejected, failed -> approved.

Every workflow checks its permission, locks the payment row (`SELECT ... FOR UPDATE`) and then the
refund, so that two people acting at once on one payment queue up instead of refunding past what
was paid; it writes an audit event in the same transaction, commits, and returns a frozen value.
The rules themselves are PostgreSQL's (migrations 0003 and 0004): the ledger of every state change,
the balance CHECK, the state machine, and four eyes on the payment's refunds in total compared with
`session_user`; a workflow asks the database whether the action is allowed (`actions`) so that the
refusal comes in words before anything is written. Completing and failing a refund (the gateway's
part) are in `completion`, the steps all of them share in `steps`.
"""

from __future__ import annotations

from decimal import Decimal

from backoffice.db import UnitOfWork
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.refunds.effects import check_cancellable, mark_session_cancelled
from backoffice.services.refunds.payments import PaymentFacts, load_payment, load_totals
from backoffice.services.refunds.requests import insert_refund, refund_amount, refund_by_key, replay
from backoffice.services.refunds.rules import check_idempotency_key, check_reason, required_text
from backoffice.services.refunds.steps import change_state, finish, take_action
from backoffice.services.refunds.types import RefundResult

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
    payment = load_payment(uow.session, payment_id, lock=True)
    earlier = refund_by_key(uow.session, key)
    if earlier is not None:
        return replay(uow.session, earlier, payment_id=payment_id, amount=amount)
    return _new_refund(
        uow, payment, amount, code=code, note=text, key=key, cancel_session=cancel_session
    )


def approve_refund(uow: UnitOfWork, actor: Actor, *, refund_id: int) -> RefundResult:
    """Approve a requested refund. When the payment's refunds come to more than the approval
    threshold in total (this one included), only someone other than its requester may.

    Permission: APPROVE_REFUNDS. One transaction (payment and refund locked); audit event
    "refund.approved". Raises PermissionDenied (also from PostgreSQL, which compares
    `session_user` with the requester), NotFound, ConflictError (not awaiting approval).
    """
    require(actor, P.APPROVE_REFUNDS)
    row = take_action(uow.session, actor, refund_id, "approve")
    return change_state(uow, row, "approved", "refund.approved")


def reject_refund(uow: UnitOfWork, actor: Actor, *, refund_id: int, reason: str) -> RefundResult:
    """Reject a requested refund with a reason; its amount becomes refundable again.

    Permission: APPROVE_REFUNDS. One transaction; audit event "refund.rejected".
    Raises PermissionDenied, NotFound, ValidationError (no reason), ConflictError (not requested).
    """
    require(actor, P.APPROVE_REFUNDS)
    why = required_text(reason, what="why the refund is rejected")
    row = take_action(uow.session, actor, refund_id, "reject")
    return change_state(uow, row, "rejected", "refund.rejected", reason=why)


def retry_refund(uow: UnitOfWork, actor: Actor, *, refund_id: int) -> RefundResult:
    """Send a failed refund back to approved, to be completed again. A retry is an approval: the
    one who retries becomes its approver, and four eyes applies as to a first approval.

    Permission: APPROVE_REFUNDS. One transaction; audit event "refund.retried".
    Raises PermissionDenied (the requester alone above the threshold), NotFound, ConflictError
    (not failed).
    """
    require(actor, P.APPROVE_REFUNDS)
    row = take_action(uow.session, actor, refund_id, "retry")
    return change_state(uow, row, "approved", "refund.retried")


def _new_refund(
    uow: UnitOfWork,
    payment: PaymentFacts,
    amount: Decimal | str | int | None,
    *,
    code: str,
    note: str | None,
    key: str,
    cancel_session: bool,
) -> RefundResult:
    """Reserve the amount (None: all that is left), cancel the session if asked, audit, commit."""
    db = uow.session
    value = refund_amount(payment, load_totals(db, payment.payment_id), amount)
    cancelling = check_cancellable(payment) if cancel_session else False
    refund_id = insert_refund(
        db, payment_id=payment.payment_id, amount=value, code=code, note=note, key=key
    )
    if refund_id is None:  # another connection committed this key meanwhile
        return replay(db, refund_by_key(db, key), payment_id=payment.payment_id, amount=amount)
    if cancelling:
        mark_session_cancelled(db, payment, reason_code=code, note=note)
    details = {
        "payment_id": payment.payment_id,
        "amount": value,
        "currency": payment.currency,
        "reason_code": code,
        "session_cancelled": cancelling,
    }
    return finish(uow, refund_id, "refund.requested", details, session_cancelled=cancelling)
