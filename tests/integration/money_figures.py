"""Every figure about refunds that the finance side shows, read from the reports and the dashboard as
built for a person (never from the test's own SQL), so that tests can hold them against each other.

`figures(uow, actor, day)`: the revenue, ledger, refunds and reconciliation reports over the month
of `day` (built by their catalogue builders), the finance dashboard of that month, and the
mismatches reconciliation lists.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from backoffice.db import UnitOfWork
from backoffice.reports import TableSection
from backoffice.reports.feed import iter_chunks
from backoffice.services.dashboard import FinanceDashboard, get_dashboard
from backoffice.services.permissions import Actor
from backoffice.services.refunds import list_refund_mismatches
from backoffice.services.reports import ReportRequest, get_report


@dataclass(frozen=True)
class Figures:
    revenue_refunded: dict[str, Decimal]  # revenue report: refunded of the month's payments
    revenue_by_therapist: dict[str, Decimal]  # the same, summed over its therapist table
    ledger_refunded: dict[str, Decimal]  # ledger report: refunds returned in the month
    refunds_by_state: dict[str, Decimal]  # refunds report: amount per state
    refunds_left: Decimal  # refunds report: left to refund, summed over its refunds
    reconciliation_mismatches: int  # reconciliation report: payments of the month that disagree
    dashboard_refunded: dict[str, Decimal]
    dashboard_failed: dict[str, Decimal]
    dashboard_waiting: dict[str, Decimal]  # requested / approved amounts, all currencies
    dashboard_mismatches: int
    listed_mismatches: int  # reconciliation's list (all periods)


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def figures(
    uow: UnitOfWork, actor: Actor, day: dt.date, period: tuple[dt.date, dt.date] | None = None
) -> Figures:
    """The reports over `period` (default: the month of `day`), the dashboard of `day`'s month."""
    request = ReportRequest(*(period or month_of(day)))
    revenue = _tables(get_report("revenue").build(uow, request).spreadsheet)
    ledger = _tables(get_report("ledger").build(uow, request).spreadsheet)
    refunds = _tables(get_report("refunds").build(uow, request).spreadsheet)
    reconciliation = _tables(get_report("reconciliation").build(uow, request).spreadsheet)
    dashboard = get_dashboard(uow, actor, today=day)
    assert isinstance(dashboard, FinanceDashboard)
    return Figures(
        revenue_refunded=_by(revenue["By currency"], "currency", "refunded"),
        revenue_by_therapist=_by(revenue["Revenue by therapist"], "currency", "refunded"),
        ledger_refunded=_by(ledger["Totals by currency"], "currency", "refunded", sign=-1),
        refunds_by_state=_by(refunds["Totals by state"], "state", "amount"),
        refunds_left=sum(_known(refunds["Refunds"].get("payment_left", [])), Decimal(0)),
        reconciliation_mismatches=len(reconciliation["Refund fields that disagree"]),
        dashboard_refunded={r.currency: r.refunded for r in dashboard.revenue if r.refunded},
        dashboard_failed={m.currency: m.amount for m in dashboard.failed_refund_totals},
        dashboard_waiting={
            w.state: sum((m.amount for m in w.totals), Decimal(0))
            for w in dashboard.refunds_waiting
        },
        dashboard_mismatches=dashboard.refund_mismatches,
        listed_mismatches=len(list_refund_mismatches(uow, actor, limit=100_000)),
    )


def _tables(sections: Any) -> dict[str, pd.DataFrame]:
    found = {}
    for section in sections or ():
        if isinstance(section, TableSection):
            chunks = list(iter_chunks(section.data))
            found[section.title] = pd.concat(chunks) if chunks else pd.DataFrame()
    return found


def _known(values: Any) -> list[Decimal]:
    return [v for v in values if v is not None and not pd.isna(v)]


def _by(frame: pd.DataFrame, key: str, value: str, *, sign: int = 1) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    if frame.empty or key not in frame:
        return {}
    for k, v in zip(frame[key], frame[value], strict=True):
        totals[k] += sign * Decimal(v)
    return {k: v for k, v in totals.items() if v}
