"""Refunds: requested -> approved -> completed | failed, requested -> rejected, failed -> approved;
the reads of refunds and payments, and the reconciliation of refund fields that disagree.

Every workflow checks its permission, locks the payment row and then the refund, writes an audit
event in the same transaction and returns a frozen value (see `workflows`). The form checks here
(`check_reason`, `parse_amount`) let a dialog refuse bad input before anything runs. Everything not
named here is internal.
"""

from backoffice.services.refunds.completion import complete_refund, fail_refund
from backoffice.services.refunds.gateway import (
    DashboardGateway,
    GatewayOutcome,
    GatewayRefundOrder,
    RefundGateway,
)
from backoffice.services.refunds.reads import get_payment_refunds, get_refund, list_refunds
from backoffice.services.refunds.reconciliation import (
    list_refund_mismatches,
    repair_refund_mismatch,
)
from backoffice.services.refunds.rules import REASON_CODES, check_reason, parse_amount
from backoffice.services.refunds.thresholds import ThresholdResult, set_refund_threshold
from backoffice.services.refunds.types import (
    PaymentRefundSummary,
    RefundAction,
    RefundDetail,
    RefundEventRow,
    RefundMismatch,
    RefundResult,
    RepairResult,
)
from backoffice.services.refunds.workflows import (
    approve_refund,
    reject_refund,
    request_refund,
    retry_refund,
)

__all__ = [
    "REASON_CODES",
    "DashboardGateway",
    "GatewayOutcome",
    "GatewayRefundOrder",
    "PaymentRefundSummary",
    "RefundAction",
    "RefundDetail",
    "RefundEventRow",
    "RefundGateway",
    "RefundMismatch",
    "RefundResult",
    "RepairResult",
    "ThresholdResult",
    "approve_refund",
    "check_reason",
    "complete_refund",
    "fail_refund",
    "get_payment_refunds",
    "get_refund",
    "list_refund_mismatches",
    "list_refunds",
    "parse_amount",
    "reject_refund",
    "repair_refund_mismatch",
    "request_refund",
    "retry_refund",
    "set_refund_threshold",
]
