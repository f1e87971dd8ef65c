"""The SQL the refund workflows share about refunds themselves: loading and locking a refund, its
ledger lines, the approval thresholds in force, and the frozen result (the payment's side is
`payments`). Whether a refund needs a second person is the database's answer
(`backoffice.refund_four_eyes`: the payment's refunds in total against the threshold)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backoffice.errors import NotFound
from backoffice.models.backoffice import Refund, RefundEvent
from backoffice.services.orm_tables import table_of
from backoffice.services.refunds.payments import payments
from backoffice.services.refunds.types import RefundEventRow, RefundResult

refunds = table_of(Refund)
events = table_of(RefundEvent)

_THRESHOLDS = sa.text("SELECT currency, amount FROM backoffice.refund_thresholds_in_force()")
_SECOND_PERSON = sa.column("second_person_needed", sa.Boolean)
_FOUR_EYES = sa.func.backoffice.refund_four_eyes(refunds.c.id).table_valued(_SECOND_PERSON)


def thresholds(db: Session) -> dict[str, Decimal]:
    """Approval thresholds in force per currency (above one a second person approves; a currency
    without one: any amount)."""
    return {row.currency: row.amount for row in db.execute(_THRESHOLDS)}


def with_four_eyes(query: sa.Select) -> sa.Select:
    """`query` over `refunds`, each row also saying whether a second person must approve it."""
    return query.add_columns(_FOUR_EYES.c.second_person_needed).join(_FOUR_EYES, sa.true())


def set_event_reason(db: Session, reason: str | None) -> None:
    """The reason the refund triggers write on the next ledger line of this transaction."""
    db.execute(sa.select(sa.func.set_config("backoffice.event_reason", reason or "", True)))


def with_client_name(query: sa.Select[Any]) -> sa.Select[Any]:
    """`query` over refunds, with the name of the client who paid (for sentences and tables)."""
    name = sa.select(payments.c.invitee_name).where(payments.c.payment_id == refunds.c.payment_id)
    return query.add_columns(name.scalar_subquery().label("client_name"))


def load_refund_row(db: Session, refund_id: int, *, lock: bool = False) -> Any:
    """A refund's row; locked (FOR UPDATE) for a workflow, or with the client's name to show."""
    query = sa.select(refunds).where(refunds.c.id == refund_id)
    query = query.with_for_update() if lock else with_client_name(with_four_eyes(query))
    row = db.execute(query).first()
    if row is None:
        raise NotFound(f"There is no refund {refund_id}.")
    return row


def to_result(row: Any, **flags: bool) -> RefundResult:
    """A refund row read with `with_four_eyes` as a frozen result."""
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
        needs_second_approver=row.second_person_needed,
        client_name=getattr(row, "client_name", None),
        **flags,
    )


def refund_result(db: Session, refund_id: int, **flags: bool) -> RefundResult:
    return to_result(load_refund_row(db, refund_id), **flags)


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
