"""The SQL the refund workflows share about refunds themselves: loading and locking a refund, its
ledger lines, the approval thresholds, and the frozen result (the payment's side is `payments`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backoffice.errors import NotFound
from backoffice.models.backoffice import Refund, RefundEvent, Setting
from backoffice.services.orm_tables import table_of
from backoffice.services.refunds.rules import needs_second_approver
from backoffice.services.refunds.types import RefundEventRow, RefundResult

THRESHOLD_KEY = "refunds.approval_threshold"

refunds = table_of(Refund)
events = table_of(RefundEvent)


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
