"""How the refunds panel words a refund: its state, its line in the table, the questions it asks
and the news it gives, each naming the refund by number, amount and client."""

from __future__ import annotations

from backoffice.services.refunds import REASON_CODES, RefundResult
from backoffice.ui.widgets.record_table_model import Column
from backoffice.values import datetime_text, id_text, money_text

STATE_WORDS = {
    "requested": "waiting for approval",
    "approved": "approved, to complete",
    "failed": "failed",
    "completed": "completed",
    "rejected": "rejected",
}
COLUMNS: tuple[Column[RefundResult], ...] = (
    Column("Client", lambda r: r.client_name or "Unknown client"),
    Column("Amount", lambda r: money_text(r.amount, r.currency), numeric=True),
    Column("State", lambda r: STATE_WORDS.get(r.state, r.state)),
    Column("Reason", lambda r: REASON_CODES.get(r.reason_code, r.reason_code)),
    Column("Requested by", lambda r: r.requested_by),
    Column("Requested", lambda r: datetime_text(r.requested_at)),
    Column("Approved by", lambda r: r.approved_by or ""),
    Column("Gateway reference", lambda r: r.gateway_reference or ""),
    Column("Refund", lambda r: f"#{id_text(r.id)}", numeric=True),
    Column("Payment", lambda r: id_text(r.payment_id), numeric=True),
)


def refund_words(refund: RefundResult) -> str:
    """ "refund #1 of INR 2,500.00 to Asha Rao": which refund, how much, to whom."""
    who = refund.client_name or "an unknown client"
    return f"refund #{id_text(refund.id)} of {money_text(refund.amount, refund.currency)} to {who}"


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# What each action asks first: (title, question or the label of the text asked, button).
QUESTIONS: dict[str, tuple[str, str, str]] = {
    "approve": ("Approve the refund", "Approve the {refund}?", "Approve"),
    "reject": ("Reject the refund", "Why is the {refund} rejected?", "Reject"),
    "complete": (
        "Complete the refund",
        "The gateway's reference for the {refund} (shown in its dashboard once paid back):",
        "Complete",
    ),
    "fail": ("The refund failed", "What the gateway said about the {refund}:", "Mark failed"),
    "retry": ("Try the refund again", "Send the {refund} back for completion?", "Retry"),
}
DONE = {
    "requested": "{Refund} is waiting for approval.",
    "approved": "{Refund} is approved: finance can pay it back and complete it.",
    "completed": "{Refund} is completed: the payment and its booking say so.",
    "failed": "{Refund} is marked failed; it can be tried again.",
    "rejected": "{Refund} is rejected.",
}


def event_reason_words(reason: str) -> str:
    """A ledger line's reason in words: "client_cancelled: Moved away" reads "The client cancelled:
    Moved away" (the request's reason code is recorded as the code)."""
    code, colon, rest = reason.partition(":")
    label = REASON_CODES.get(code.strip())
    return f"{label}{colon}{rest}" if label else reason
