"""The `refunds` report: every refund of the back-office's ledger requested in the period.

Failed and waiting refunds come first (they need someone), then completed and rejected ones; the
totals by state and by reason follow, per currency. The spreadsheets add what is left to refund
on each refund's payment (`backoffice.payment_refunds`, the one definition). Reads
`backoffice.refunds`, the payments' client names and their refund figures: readable by finance.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.reports import Column, KeyFigure, KeyFiguresSection, ParagraphSection, Section
from backoffice.services.clock import AT_CLINIC_ZONE
from backoffice.services.reports.builders.frames import (
    duration_text,
    frame,
    median_duration,
    money_table,
)
from backoffice.services.reports.types import ReportContent, ReportRequest

STATE_ORDER = ("failed", "requested", "approved", "completed", "rejected")

_REFUNDS = sa.text(f"""
SELECT CAST(r.id AS text) AS refund_id,
       CAST(r.requested_at {AT_CLINIC_ZONE} AS timestamp) AS requested_at,
       CAST(r.payment_id AS text) AS payment_id, p.invitee_name AS client, r.currency, r.amount, r.state,
       r.reason_code AS reason, r.requested_by, r.approved_by,
       CAST(r.completed_at {AT_CLINIC_ZONE} AS timestamp) AS completed_at,
       CAST(extract(epoch FROM r.completed_at - r.requested_at) AS bigint) AS seconds,
       coalesce(r.gateway_reference, '') AS gateway_reference,
       coalesce(r.failure_message, '') AS failure_message, pr.refundable AS payment_left
FROM backoffice.refunds r
LEFT JOIN public.payments p ON p.payment_id = r.payment_id
LEFT JOIN backoffice.payment_refunds pr ON pr.payment_id = r.payment_id
WHERE r.requested_at >= CAST(:start AS timestamp) {AT_CLINIC_ZONE}
  AND r.requested_at < CAST(:end AS timestamp) {AT_CLINIC_ZONE}
ORDER BY array_position(CAST(:states AS text[]), r.state), r.requested_at, r.id
""")

_LIST = (
    Column("refund_id", "Refund"),
    Column("requested_at", "Requested", "datetime"),
    Column("payment_id", "Payment"),
    Column("client", "Client"),
    Column("currency", "Cur."),
    Column("amount", "Amount", "money"),
    Column("state", "State"),
    Column("reason", "Reason"),
    Column("requested_by", "Requested by"),
    Column("approved_by", "Approved by"),
    Column("completed_at", "Completed", "datetime"),
    Column("time_to_complete", "Time to complete"),
)
_SPREADSHEET_EXTRA = (
    Column("gateway_reference", "Gateway reference"),
    Column("failure_message", "Failure message"),
    Column("payment_left", "Left to refund on the payment", "money", total=False),
)
_SUMMARY = (
    Column("refunds", "Refunds", "int"),
    Column("currency", "Currency"),
    Column("amount", "Amount", "money"),
)
NOTE = (
    "Refunds of the back-office's ledger requested in the period, failed and waiting ones first. "
    "Time to complete runs from the request to the gateway's confirmation. Refunds recorded "
    "only by the booking website are in the ledger and revenue reports."
)


def build_refunds(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    refunds = frame(uow, _REFUNDS, request.params(states=list(STATE_ORDER)))
    refunds["time_to_complete"] = [duration_text(s) for s in refunds["seconds"]]
    by_state = _totals(refunds, "state", "State", STATE_ORDER)
    by_reason = _totals(refunds, "reason", "Reason")
    listing = money_table(
        "Refunds, failed and waiting first",
        _LIST,
        refunds,
        empty_text="No refunds were requested in this period.",
    )
    sections: list[Section] = [
        _headline(refunds),
        listing,
        *by_state,
        *by_reason,
        ParagraphSection(NOTE, note=True),
    ]
    spreadsheet = [
        money_table("Refunds", (*_LIST, *_SPREADSHEET_EXTRA), refunds, empty_text=""),
        *by_state,
        *by_reason,
    ]
    return ReportContent(
        sections=sections,
        spreadsheet=spreadsheet,
        rows=len(refunds),
        empty=refunds.empty,
        empty_sentence="No refunds were requested in this period.",
    )


def _headline(refunds: pd.DataFrame) -> KeyFiguresSection:
    def count(*states: str) -> int:
        return int(refunds["state"].isin(states).sum()) if not refunds.empty else 0

    median = median_duration(refunds["seconds"], none="none completed")
    return KeyFiguresSection(
        [
            KeyFigure("Refunds requested", len(refunds), "int"),
            KeyFigure("Failed", count("failed"), "int"),
            KeyFigure("Waiting (requested or approved)", count("requested", "approved"), "int"),
            KeyFigure("Median time to complete", median),
        ]
    )


def _totals(
    refunds: pd.DataFrame, key: str, label: str, order: tuple[str, ...] = ()
) -> list[Section]:
    """Count and amount per key and currency, one table (totalled when one currency)."""
    if refunds.empty:
        totals = pd.DataFrame(columns=[key, "currency", "refunds", "amount"], dtype=object)
    else:
        grouped = refunds.groupby([key, "currency"], sort=True)
        totals = grouped.agg(refunds=("refund_id", "size"), amount=("amount", "sum")).reset_index()
        totals["refunds"] = [int(n) for n in totals["refunds"]]
        totals = totals.astype(object)
        if order:
            rank = {state: n for n, state in enumerate(order)}
            totals = totals.sort_values(key, key=lambda s: s.map(rank), kind="stable")
        totals = totals.reset_index(drop=True)
    columns = (Column(key, label), *_SUMMARY)
    return [money_table(f"Totals by {label.lower()}", columns, totals, empty_text="No refunds.")]
