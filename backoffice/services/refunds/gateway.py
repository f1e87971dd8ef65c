"""Payment gateway adapters: what moves (or records) the money when an approved refund is completed.

`complete_refund` hands the adapter a `GatewayRefundOrder` and records its `GatewayOutcome`: a
success with the gateway's refund reference completes the refund, a failure with the gateway's
message marks it failed. The first adapter, `DashboardGateway`, moves no money: a person has
already refunded in the gateway's own dashboard (Razorpay, Stripe, PayPal) and types its reference.

A real API adapter fits the same protocol: it sends `order.idempotency_key` as the gateway's own
idempotency key, so that completing the same refund again after a lost connection cannot pay
twice, and returns a failure (not an exception) when the gateway declines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from backoffice.errors import ValidationError
from backoffice.services.refunds.rules import MAX_REFERENCE


@dataclass(frozen=True)
class GatewayRefundOrder:
    """One refund to make: which payment (as the gateway knows it), how much, and its key."""

    refund_id: int
    payment_reference: str | None  # the gateway's id of the original payment
    gateway_name: str | None  # as the payment records it: "Razorpay", "Stripe", ...
    amount: Decimal
    currency: str
    idempotency_key: str
    reference: str | None = None  # for a refund already done by hand: its reference there


@dataclass(frozen=True)
class GatewayOutcome:
    succeeded: bool
    reference: str | None = None  # the gateway's refund id
    message: str | None = None  # why it failed, in the gateway's words


class RefundGateway(Protocol):
    """Moves or records the money of one refund; never raises for a refusal by the gateway."""

    name: str

    def refund(self, order: GatewayRefundOrder) -> GatewayOutcome: ...


_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-./:]*$")


class DashboardGateway:
    """A refund made in the gateway's own dashboard: the person types the reference it showed."""

    name = "dashboard"

    def refund(self, order: GatewayRefundOrder) -> GatewayOutcome:
        reference = (order.reference or "").strip()
        if not reference:
            raise ValidationError(
                "Enter the refund reference the gateway's dashboard showed (for example rfnd_...)."
            )
        if len(reference) > MAX_REFERENCE or not _REFERENCE.match(reference):
            raise ValidationError(
                "The refund reference should be the gateway's id: letters, digits, '_', '-', "
                f"'.', '/' or ':', at most {MAX_REFERENCE} characters."
            )
        return GatewayOutcome(succeeded=True, reference=reference)


DASHBOARD = DashboardGateway()
