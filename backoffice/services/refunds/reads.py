"""Reading refunds: the list, one refund with its ledger, and a payment as the refund dialog sees it.

Reads only: nothing to commit, no audit event (no clinical content is read here).
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ValidationError
from backoffice.models.backoffice import REFUND_STATES
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.refunds.actions import refund_actions
from backoffice.services.refunds.payments import load_payment, load_totals
from backoffice.services.refunds.store import (
    event_rows,
    load_refund_row,
    refunds,
    thresholds,
    to_result,
    with_client_name,
    with_four_eyes,
)
from backoffice.services.refunds.types import PaymentRefundSummary, RefundDetail, RefundResult

MAX_LIMIT = 1000


def list_refunds(
    uow: UnitOfWork,
    actor: Actor,
    *,
    state: str | None = None,
    payment_id: int | None = None,
    limit: int = 200,
) -> tuple[RefundResult, ...]:
    """Refunds, newest first, optionally in one state or of one payment.

    Permission: VIEW_PAYMENTS. Read only. Raises PermissionDenied, ValidationError (unknown state).
    """
    require(actor, Permission.VIEW_PAYMENTS)
    query = with_client_name(with_four_eyes(sa.select(refunds)))
    query = query.order_by(refunds.c.requested_at.desc(), refunds.c.id.desc())
    if state is not None:
        if state not in REFUND_STATES:
            raise ValidationError(f"A refund's state is one of {', '.join(REFUND_STATES)}.")
        query = query.where(refunds.c.state == state)
    if payment_id is not None:
        query = query.where(refunds.c.payment_id == payment_id)
    rows = uow.session.execute(query.limit(max(1, min(limit, MAX_LIMIT))))
    return tuple(to_result(row) for row in rows)


def get_refund(uow: UnitOfWork, actor: Actor, *, refund_id: int) -> RefundDetail:
    """One refund, its ledger lines (oldest first) and the actions it allows the actor now.

    Permission: VIEW_PAYMENTS. Read only. Raises PermissionDenied, NotFound.
    """
    require(actor, Permission.VIEW_PAYMENTS)
    db = uow.session
    row = load_refund_row(db, refund_id)
    return RefundDetail(
        to_result(row), event_rows(db, refund_id), refund_actions(db, actor, refund_id)
    )


def get_payment_refunds(uow: UnitOfWork, actor: Actor, *, payment_id: int) -> PaymentRefundSummary:
    """A payment with what was refunded, what is reserved, what is left, and its refunds.

    Permission: VIEW_PAYMENTS. Read only. Raises PermissionDenied, NotFound.
    """
    require(actor, Permission.VIEW_PAYMENTS)
    db = uow.session
    payment = load_payment(db, payment_id)
    totals = load_totals(db, payment_id)
    query = with_four_eyes(sa.select(refunds)).where(refunds.c.payment_id == payment_id)
    rows = db.execute(query.order_by(refunds.c.id))
    return PaymentRefundSummary(
        payment_id=payment.payment_id,
        booking_id=payment.booking_id,
        client_name=payment.client_name,
        amount=payment.amount,
        currency=payment.currency,
        payment_date=payment.payment_date,
        gateway=payment.gateway,
        refund_amount=payment.fields.amount,
        refund_status=payment.fields.status,
        booking_status=payment.booking_status,
        refunded=totals.refunded,
        unconfirmed=totals.unconfirmed,
        refundable=max(totals.refundable, Decimal(0)),
        approval_threshold=thresholds(db).get(payment.currency or "", Decimal(0)),
        fields_agree=payment.fields_agree,
        refunds=tuple(to_result(row) for row in rows),
    )
