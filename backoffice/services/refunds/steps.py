"""The steps every refund workflow shares: lock in one order, change the state, audit and commit."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backoffice.db import UnitOfWork
from backoffice.services import audit
from backoffice.services.permissions import Actor
from backoffice.services.refunds.actions import require_action
from backoffice.services.refunds.payments import PaymentFacts, load_payment
from backoffice.services.refunds.store import (
    load_refund_row,
    refund_result,
    refunds,
    set_event_reason,
)
from backoffice.services.refunds.types import RefundResult


def lock_refund(db: Session, refund_id: int) -> tuple[Any, PaymentFacts]:
    """Lock the refund's payment, then the refund: the same order as a request, so no deadlock."""
    payment_id = load_refund_row(db, refund_id).payment_id
    payment = load_payment(db, payment_id, lock=True)
    return load_refund_row(db, refund_id, lock=True), payment


def take_action(db: Session, actor: Actor, refund_id: int, action: str) -> Any:
    """Lock the refund (and its payment) and check with the database that `actor` may take
    `action` on it now; the refund's row, or PermissionDenied / ConflictError in words."""
    row, _ = lock_refund(db, refund_id)
    require_action(db, actor, refund_id, action)
    return row


def refund_update(refund_id: int, **values: Any) -> sa.Update:
    return sa.update(refunds).where(refunds.c.id == refund_id).values(**values)


def change_state(
    uow: UnitOfWork, row: Any, target: str, action: str, *, reason: str | None = None
) -> RefundResult:
    """Move the refund to `target` (the triggers write its ledger line with `reason`) and finish."""
    set_event_reason(uow.session, reason)
    uow.session.execute(refund_update(row.id, state=target))
    details = {"payment_id": row.payment_id, "amount": row.amount, "currency": row.currency}
    return finish(uow, row.id, action, details | ({"reason": reason} if reason else {}))


def finish(
    uow: UnitOfWork, refund_id: int, action: str, details: dict[str, Any], **flags: bool
) -> RefundResult:
    """Write the audit event, read the refund as it now stands, and commit."""
    audit.record(uow, action, subject_type="refund", subject_id=refund_id, details=details)
    result = refund_result(uow.session, refund_id, **flags)
    uow.commit()
    return result
