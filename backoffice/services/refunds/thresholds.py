"""Refund approval thresholds: above one, per currency, a second person approves a payment's refunds.

A change goes through the database's `backoffice.set_refund_approval_threshold`, which keeps every
threshold ever set (who, when, why) and writes the audit event; the new threshold is in force from
the next transaction on, never inside the one that changes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ValidationError
from backoffice.services.changes import Area, Changes
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.refunds.rules import parse_amount, required_text

_SET = sa.text("SELECT backoffice.set_refund_approval_threshold(:currency, :amount, :reason)")


@dataclass(frozen=True)
class ThresholdResult:
    """The threshold set; in force from the next transaction."""

    changes: ClassVar[Changes] = Changes.of(Area.REFUNDS)

    currency: str
    amount: Decimal


def set_refund_threshold(
    uow: UnitOfWork, actor: Actor, *, currency: str, amount: Decimal | str | int, reason: str
) -> ThresholdResult:
    """Set the approval threshold of `currency` (0: every refund needs a second person).

    Permission: SET_REFUND_THRESHOLDS. One transaction; audit event "refund.threshold_changed"
    (written by the database, with the threshold before and after). Raises PermissionDenied,
    ValidationError (currency, amount or reason).
    """
    require(actor, Permission.SET_REFUND_THRESHOLDS)
    code = (currency or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationError("A currency is three letters, such as INR.")
    value = (
        Decimal(0) if str(amount).strip() in ("0", "0.00") else parse_amount(amount, currency=code)
    )
    why = required_text(reason, what="why the threshold changes")
    uow.session.execute(_SET, {"currency": code, "amount": value, "reason": why})
    uow.commit()
    return ThresholdResult(code, value)
