"""Facts about one booking that several tables repeat (cancellation, refund, payment reference).

Each is a pure function of the clinic and the booking's rank, so the booking, payment, cancellation
and refund streams agree without sharing state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from backoffice.demo import vocab
from backoffice.demo.clinic import (
    BLANK_BOOKING_AMOUNT,
    BLANK_PAYMENT_REFUND,
    FLIPPED,
    OTHER_REFUND_ID,
    STALE_PAYMENT_STATUS,
    Clinic,
)
from backoffice.demo.plan import (
    BY_HOST,
    DAY,
    FAILED,
    NO_REFUND,
    NOW,
    ONLINE,
    PARTIAL,
    REFUND_STATUSES,
    cancel_minute,
)
from backoffice.demo.rand import mix, token

CENT = Decimal("0.01")
_PREFIX = {
    "Razorpay": ("pay_", 14, "rfnd_", 14),
    "Stripe": ("pi_", 24, "re_", 24),
    "PayPal": ("PAYID-", 20, "PPREF-", 17),
}


@dataclass(frozen=True, slots=True)
class Refund:
    amount: Decimal | None
    status: str | None
    initiated: dt.datetime | None
    failed: dt.datetime | None
    refund_id: str | None


NO_REFUND_FIELDS = Refund(None, None, None, None, None)


def mode(clinic: Clinic, rank: int) -> str:
    return "online" if clinic.plan.flags[rank] & ONLINE else "in-person"


def session_name(clinic: Clinic, rank: int) -> str:
    client = clinic.clients[clinic.plan.client[rank]]
    return "Couples Therapy Session" if client.couples else "Individual Therapy Session"


def payment_reference(clinic: Clinic, rank: int, gateway: str) -> str:
    prefix, width, _, _ = _PREFIX[gateway]
    return prefix + token(clinic.seed, rank, 1, width)


def cancellation(clinic: Clinic, rank: int) -> tuple[dt.datetime, str, str]:
    """(cancelled at, by whom, why) of a cancelled booking."""
    plan = clinic.plan
    minute = cancel_minute(clinic.seed, rank, plan.created[rank], plan.start[rank])
    by_host = bool(plan.flags[rank] & BY_HOST)
    reasons = vocab.CANCEL_REASONS_HOST if by_host else vocab.CANCEL_REASONS_CLIENT
    reason = reasons[mix(clinic.seed, rank, 13) % len(reasons)]
    return clinic.clock.at(minute), "host" if by_host else "invitee", reason


def booking_refund(clinic: Clinic, rank: int) -> Refund:
    """The refund as the booking row records it."""
    refund = _refund(clinic, rank)
    if clinic.warts.disagree.get(rank) == BLANK_BOOKING_AMOUNT:
        return Refund(None, refund.status, refund.initiated, refund.failed, refund.refund_id)
    return refund


def payment_refund(clinic: Clinic, rank: int) -> Refund:
    """The refund as the payment row records it: the booking's, except where a wart says not."""
    truth = _refund(clinic, rank)
    how = clinic.warts.disagree.get(rank)
    if how == STALE_PAYMENT_STATUS:
        return Refund(truth.amount, "initiated", truth.initiated, None, truth.refund_id)
    if how == BLANK_PAYMENT_REFUND:
        return NO_REFUND_FIELDS
    if how == OTHER_REFUND_ID:
        _, _, prefix, width = _PREFIX[clinic.clients[clinic.plan.client[rank]].gateway]
        return Refund(
            truth.amount,
            truth.status,
            truth.initiated,
            truth.failed,
            prefix + token(clinic.seed, rank, 5, width),
        )
    if how == FLIPPED:
        if clinic.plan.refund[rank] == FAILED:
            return Refund(truth.amount, "processed", truth.initiated, None, truth.refund_id)
        failed = truth.initiated + dt.timedelta(hours=20) if truth.initiated else None
        return Refund(truth.amount, "failed", truth.initiated, failed, truth.refund_id)
    return truth  # no wart, or BLANK_BOOKING_AMOUNT: the payment keeps the whole refund


def _refund(clinic: Clinic, rank: int) -> Refund:
    kind = clinic.plan.refund[rank]
    if kind == NO_REFUND:
        return NO_REFUND_FIELDS
    plan, seed = clinic.plan, clinic.seed
    cancelled = cancel_minute(seed, rank, plan.created[rank], plan.start[rank])
    initiated = min(cancelled + 30 + mix(seed, rank, 14) % 600, NOW - 1)
    amount = clinic.amount(rank)
    if kind == PARTIAL:
        amount = (amount / 2).quantize(CENT)
    failed = clinic.clock.at(min(initiated + DAY, NOW - 1)) if kind == FAILED else None
    _, _, prefix, width = _PREFIX[clinic.clients[plan.client[rank]].gateway]
    return Refund(
        amount,
        REFUND_STATUSES[kind],
        clinic.clock.at(initiated),
        failed,
        prefix + token(seed, rank, 3, width),
    )
