"""What the refund services return: frozen values with Decimal money, never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from backoffice.services.changes import Area, Changes


@dataclass(frozen=True)
class RefundResult:
    """One refund as it stands. `replayed`: this request repeated an earlier one with the same key."""

    changes: ClassVar[Changes] = Changes.of(Area.REFUNDS, Area.PAYMENTS, Area.BOOKINGS)

    id: int
    payment_id: int
    booking_id: str | None
    amount: Decimal
    currency: str
    state: str
    reason_code: str
    note: str | None
    idempotency_key: str
    requested_by: str
    requested_at: dt.datetime
    approved_by: str | None
    approved_at: dt.datetime | None
    completed_at: dt.datetime | None
    gateway_reference: str | None
    failure_message: str | None
    needs_second_approver: bool
    replayed: bool = False
    session_cancelled: bool = False
    client_name: str | None = None  # who paid: the refund goes back to them


@dataclass(frozen=True)
class RefundEventRow:
    """A ledger line: a refund's change, who made it, and the payment's refundable balance around it."""

    id: int
    refund_id: int
    state: str
    amount: Decimal
    balance_before: Decimal
    balance_after: Decimal
    actor: str
    occurred_at: dt.datetime
    reason: str | None
    gateway_reference: str | None


@dataclass(frozen=True)
class RefundAction:
    """One action of the state machine on one refund, for the signed-in person, now.

    `reason` says why not, in words; `refused_by` is "permission", "state" or "four_eyes".
    """

    action: str
    allowed: bool
    reason: str | None
    refused_by: str | None


@dataclass(frozen=True)
class RefundDetail:
    """A refund, its ledger lines and what the signed-in person may do with it now."""

    refund: RefundResult
    events: tuple[RefundEventRow, ...]
    actions: tuple[RefundAction, ...] = ()

    def allows(self, action: str) -> bool:
        return any(a.action == action and a.allowed for a in self.actions)


@dataclass(frozen=True)
class PaymentRefundSummary:
    """A payment as the refund dialog needs it: what was paid, refunded, on its way, and what is left.

    The figures are `backoffice.payment_refunds`': `refunded` the gateway confirmed, `unconfirmed`
    is neither refunded nor refundable (refunds waiting, failed or pending at the gateway), and
    `refundable` is what a new refund may still take. `fields_agree` is False when the payment's
    refund fields disagree with its booking's: such a payment is repaired before it is refunded.
    """

    payment_id: int
    booking_id: str | None
    client_name: str | None
    amount: Decimal | None
    currency: str | None
    payment_date: dt.datetime | None
    gateway: str | None
    refund_amount: Decimal | None
    refund_status: str | None
    booking_status: str | None
    refunded: Decimal
    unconfirmed: Decimal
    refundable: Decimal
    approval_threshold: Decimal
    fields_agree: bool
    refunds: tuple[RefundResult, ...]


@dataclass(frozen=True)
class RefundFields:
    """The refund fields that `payments` and `bookings` both carry."""

    amount: Decimal | None
    status: str | None
    refund_id: str | None
    failed_at: dt.datetime | None


@dataclass(frozen=True)
class RefundMismatch:
    """A payment whose refund fields disagree with its booking's or with the refund ledger.

    `ledger` holds what the back-office's refunds say (None when it never refunded this payment);
    `problems` says what disagrees, one sentence each; `keep_choices` are what a repair may keep.
    """

    payment_id: int
    booking_id: str | None
    currency: str | None
    paid: Decimal | None
    payment: RefundFields
    booking: RefundFields | None
    ledger: RefundFields | None
    problems: tuple[str, ...]
    keep_choices: tuple[str, ...]
    client_name: str | None = None  # who paid
    paid_on: dt.datetime | None = None  # the payment's date (clinic time)


@dataclass(frozen=True)
class RepairResult:
    changes: ClassVar[Changes] = Changes.of(Area.REFUNDS, Area.PAYMENTS, Area.BOOKINGS)

    payment_id: int
    kept: str
    before_payment: RefundFields
    before_booking: RefundFields | None
    after: RefundFields
