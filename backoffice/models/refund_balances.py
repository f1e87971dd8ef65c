"""`backoffice.refund_balances`: per payment, the running totals kept by the refund triggers (0003).

Written only by the triggers on `backoffice.refunds`; the application reads it. Its CHECK
`refunded_before + reserved <= paid` is the database's last word on "never more than was paid".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Numeric, String, func
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.models.base import BackofficeBase


class RefundBalance(BackofficeBase):
    """What was paid, refunded before the back-office existed, reserved and completed, per payment."""

    __tablename__ = "refund_balances"
    __table_args__ = (
        CheckConstraint(
            "paid >= 0 AND refunded_before >= 0 AND reserved >= 0 AND completed >= 0",
            name="not_negative",
        ),
        CheckConstraint("completed <= reserved", name="completed_within_reserved"),
        CheckConstraint("refunded_before + reserved <= paid", name="within_paid"),
    )

    payment_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    currency: Mapped[str] = mapped_column(String(10))
    paid: Mapped[Decimal] = mapped_column(Numeric())
    # The payment's own refund_amount when the back-office first refunded it (0 if that had failed).
    refunded_before: Mapped[Decimal] = mapped_column(Numeric(), server_default="0")
    # Sum of the payment's refunds that are not rejected (requested, approved, completed, failed).
    reserved: Mapped[Decimal] = mapped_column(Numeric(12, 2), server_default="0")
    completed: Mapped[Decimal] = mapped_column(Numeric(12, 2), server_default="0")
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    @property
    def refundable(self) -> Decimal:
        return self.paid - self.refunded_before - self.reserved

    @property
    def refunded(self) -> Decimal:
        """What the payment's `refund_amount` should say: refunded before, plus completed here."""
        return self.refunded_before + self.completed
