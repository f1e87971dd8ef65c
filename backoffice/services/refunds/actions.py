"""Which actions a refund allows this person now, asked of the database (`backoffice.refund_actions`).

The state machine and four eyes live in PostgreSQL; this module adds the role's permission (the
one matrix) and words each refusal. The workflows ask it before they change anything, the window
asks it (through `get_refund`) which buttons to enable.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backoffice.errors import ConflictError, NotFound, PermissionDenied
from backoffice.services.permissions import Actor
from backoffice.services.refunds.rules import ACTIONS
from backoffice.services.refunds.types import RefundAction
from backoffice.values import money_text

_ACTIONS = sa.text(
    "SELECT a.action, a.allowed, a.refusal, a.state, a.payment_total, a.threshold, a.currency, "
    "r.payment_id FROM backoffice.refund_actions(:refund_id) a "
    "JOIN backoffice.refunds r ON r.id = :refund_id"
)


def refund_actions(db: Session, actor: Actor, refund_id: int) -> tuple[RefundAction, ...]:
    """Every action of the state machine, in its order, with whether `actor` may take it now."""
    rows = db.execute(_ACTIONS, {"refund_id": refund_id}).all()
    if not rows:
        raise NotFound(f"There is no refund {refund_id}.")
    return tuple(_action(actor, refund_id, row) for row in rows)


def require_action(db: Session, actor: Actor, refund_id: int, action: str) -> None:
    """Nothing when `actor` may take `action` now; PermissionDenied or ConflictError in words."""
    found = next(a for a in refund_actions(db, actor, refund_id) if a.action == action)
    if found.allowed:
        return
    assert found.reason is not None
    if found.refused_by == "state":
        raise ConflictError(found.reason)
    raise PermissionDenied(found.reason)


def _action(actor: Actor, refund_id: int, row: Any) -> RefundAction:
    permission, called = ACTIONS[row.action]
    if not actor.may(permission):
        reason = f"Your role ({actor.role.value}) does not allow you to {permission.value}."
        return RefundAction(row.action, False, reason, "permission")
    if row.refusal == "state":
        reason = f"Refund {refund_id} is {row.state}, so it cannot be {called}."
        return RefundAction(row.action, False, reason, "state")
    if row.refusal == "four_eyes":
        return RefundAction(row.action, False, _four_eyes(refund_id, row), "four_eyes")
    return RefundAction(row.action, True, None, None)


def _four_eyes(refund_id: int, row: Any) -> str:
    total = money_text(row.payment_total, row.currency)
    threshold = money_text(row.threshold, row.currency)
    return (
        f"You requested refund #{refund_id} yourself; with it, this payment's refunds come to "
        f"{total}, above the {threshold} threshold, so someone else must approve it (four eyes)."
    )
