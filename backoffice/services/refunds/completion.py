"""Completing an approved refund through a payment gateway, and recording a refund that failed.

Success completes the refund, adds the clinic's `refund_cancellation_table` row and tells the
requester; a failure (the gateway's or one reported by a person) keeps the amount reserved until a
retry. Either way the database's refund trigger writes the payment's and its booking's refund
fields from the ledger (`backoffice.write_refund_fields`): no staff role may write them itself.
"""

from __future__ import annotations

from typing import Any

from backoffice.db import UnitOfWork
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.refunds.actions import require_action
from backoffice.services.refunds.effects import add_refund_cancellation_row, notify_requester
from backoffice.services.refunds.gateway import DASHBOARD, GatewayRefundOrder, RefundGateway
from backoffice.services.refunds.payments import PaymentFacts, load_totals
from backoffice.services.refunds.requests import check_reference_unused
from backoffice.services.refunds.rules import required_text
from backoffice.services.refunds.steps import finish, lock_refund, refund_update
from backoffice.services.refunds.types import RefundResult


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
    transaction, the database writes `payments` and its `bookings` row the same refund fields
    (refund_amount is everything the gateway confirmed), a `refund_cancellation_table` row and a
    notification are added. A gateway that declines marks the refund failed instead (see
    `fail_refund`).

    Permission: COMPLETE_REFUNDS. One transaction (payment and refund locked); audit event
    "refund.completed" (or "refund.failed"). Raises PermissionDenied, NotFound, ValidationError
    (reference), ConflictError (not approved, reference already recorded for another refund).
    """
    require(actor, Permission.COMPLETE_REFUNDS)
    row, payment = lock_refund(uow.session, refund_id)
    require_action(uow.session, actor, refund_id, "complete")
    outcome = gateway.refund(_gateway_order(row, payment, gateway_reference))
    if not outcome.succeeded:
        message = outcome.message or "The gateway declined the refund."
        return _record_failure(uow, row, message, reference=outcome.reference)
    return _record_completion(uow, row, payment, outcome.reference, gateway=gateway.name)


def fail_refund(uow: UnitOfWork, actor: Actor, *, refund_id: int, message: str) -> RefundResult:
    """Record that the gateway did not make an approved refund, in the gateway's words.

    The database shows the refund as failed on the payment and its booking; the requester is
    notified; the amount stays reserved until the refund is retried (`retry_refund`).
    Permission: COMPLETE_REFUNDS. One transaction; audit event "refund.failed".
    Raises PermissionDenied, NotFound, ValidationError (no message), ConflictError (not approved).
    """
    require(actor, Permission.COMPLETE_REFUNDS)
    text = required_text(message, what="the gateway's message")
    row, _ = lock_refund(uow.session, refund_id)
    require_action(uow.session, actor, refund_id, "fail")
    return _record_failure(uow, row, text, reference=None)


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
    reference: str | None,
    *,
    gateway: str,
) -> RefundResult:
    db = uow.session
    check_reference_unused(db, row.id, reference)
    db.execute(refund_update(row.id, state="completed", gateway_reference=reference))
    totals = load_totals(db, payment.payment_id)
    add_refund_cancellation_row(db, payment, status="processed", refund_reference=reference)
    notify_requester(db, row)
    details = {
        "gateway": gateway,
        "gateway_reference": reference,
        "payment_refund_amount": totals.refunded,
    }
    return finish(uow, row.id, "refund.completed", details)


def _record_failure(
    uow: UnitOfWork, row: Any, message: str, *, reference: str | None
) -> RefundResult:
    db = uow.session
    db.execute(
        refund_update(row.id, state="failed", failure_message=message, gateway_reference=reference)
    )
    notify_requester(db, row)
    return finish(uow, row.id, "refund.failed", {"payment_id": row.payment_id, "message": message})
