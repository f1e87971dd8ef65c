"""Completing an approved refund through a payment gateway, and recording a refund that failed.

Success writes the same refund fields to the payment and its booking, adds the clinic's
`refund_cancellation_table` row and tells the requester; a failure (the gateway's or one reported
by a person) marks the payment's fields failed and keeps the amount reserved until a retry.
"""

from __future__ import annotations

from typing import Any

from backoffice.db import UnitOfWork
from backoffice.services.clock import clinic_now
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.refunds.effects import add_refund_cancellation_row, notify_requester
from backoffice.services.refunds.gateway import DASHBOARD, GatewayRefundOrder, RefundGateway
from backoffice.services.refunds.payments import PaymentFacts, load_totals, write_refund_fields
from backoffice.services.refunds.requests import check_reference_unused
from backoffice.services.refunds.rules import check_transition, required_text
from backoffice.services.refunds.steps import finish, lock_refund, refund_update
from backoffice.services.refunds.types import RefundFields, RefundResult


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
    require(actor, Permission.COMPLETE_REFUNDS)
    row, payment = lock_refund(uow.session, refund_id)
    target = check_transition(refund_id, row.state, "complete")
    outcome = gateway.refund(_gateway_order(row, payment, gateway_reference))
    if not outcome.succeeded:
        message = outcome.message or "The gateway declined the refund."
        return _record_failure(uow, row, payment, message, reference=outcome.reference)
    return _record_completion(uow, row, payment, target, outcome.reference, gateway=gateway.name)


def fail_refund(uow: UnitOfWork, actor: Actor, *, refund_id: int, message: str) -> RefundResult:
    """Record that the gateway did not make an approved refund, in the gateway's words.

    The payment and its booking show the refund as failed; the requester is notified; the amount
    stays reserved until the refund is retried (`retry_refund`).
    Permission: COMPLETE_REFUNDS. One transaction; audit event "refund.failed".
    Raises PermissionDenied, NotFound, ValidationError (no message), ConflictError (not approved).
    """
    require(actor, Permission.COMPLETE_REFUNDS)
    text = required_text(message, what="the gateway's message")
    row, payment = lock_refund(uow.session, refund_id)
    check_transition(refund_id, row.state, "fail")
    return _record_failure(uow, row, payment, text, reference=None)


def _gateway_order(row: Any, payment: PaymentFacts, reference: str | None) -> GatewayRefundOrder:
    return GatewayRefundOrder(
        refund_id=row.id,
        payment_reference=payment.payment_reference,
        gateway_name=payment.gateway,
        amount=row.amount,
        currency=row.currency,
        idempotency_key=row.idempotency_key,
        reference=reference,
    )


def _record_completion(
    uow: UnitOfWork,
    row: Any,
    payment: PaymentFacts,
    target: str,
    reference: str | None,
    *,
    gateway: str,
) -> RefundResult:
    db = uow.session
    check_reference_unused(db, row.id, reference)
    db.execute(refund_update(row.id, state=target, gateway_reference=reference))
    totals = load_totals(db, payment)
    fields = RefundFields(totals.refunded, "processed", reference, None)
    write_refund_fields(db, payment, fields, initiated=True)
    add_refund_cancellation_row(db, payment, status="processed", refund_reference=reference)
    notify_requester(db, row)
    details = {
        "gateway": gateway,
        "gateway_reference": reference,
        "payment_refund_amount": totals.refunded,
    }
    return finish(uow, row.id, "refund.completed", details)


def _record_failure(
    uow: UnitOfWork, row: Any, payment: PaymentFacts, message: str, *, reference: str | None
) -> RefundResult:
    db = uow.session
    db.execute(
        refund_update(row.id, state="failed", failure_message=message, gateway_reference=reference)
    )
    totals = load_totals(db, payment)
    amount = None if totals.refunded == 0 and payment.fields.amount is None else totals.refunded
    fields = RefundFields(amount, "failed", reference or payment.fields.refund_id, clinic_now(uow))
    write_refund_fields(db, payment, fields)
    notify_requester(db, row)
    return finish(uow, row.id, "refund.failed", {"payment_id": row.payment_id, "message": message})
