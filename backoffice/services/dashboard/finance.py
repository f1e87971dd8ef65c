"""The finance dashboard: this month's revenue and refunds, refunds waiting, failed and mismatched.

"Refunded", "failed" and "disagrees" are the database's one definition (`backoffice.payment_refunds`,
`failed_refunds` and `refund_mismatches`, migration 0004), the same the reports and reconciliation
read. The failed and mismatch tiles start from their candidates (partial indexes that `db check`
proposes), not from every payment joined to every booking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.services.dashboard.types import (
    DayTakings,
    FinanceDashboard,
    Money,
    Period,
    RefundsInState,
    Revenue,
)
from backoffice.values import NO_CURRENCY

WAITING_STATES = ("requested", "approved")

# One pass over the month's payments (a range of the payment_date index), by currency and day:
# the revenue tiles add the days up, the chart takes the busiest currency's days. The bounds are
# timestamps, like the column: compared with dates, PostgreSQL expects one row and loops.
_MONTH = sa.text(f"""
SELECT coalesce(pr.currency, '{NO_CURRENCY}') AS currency, CAST(pr.payment_date AS date) AS day,
       count(*) AS payments, coalesce(sum(pr.paid), 0) AS gross,
       coalesce(sum(pr.refunded), 0) AS refunded
FROM backoffice.payment_refunds pr
WHERE pr.payment_date >= CAST(:month_start AS timestamp)
  AND pr.payment_date < CAST(:month_end AS timestamp)
GROUP BY 1, 2
""")

_WAITING = sa.text("""
SELECT s.state, r.currency, count(r.id) AS n, sum(r.amount) AS total,
       sum(count(r.id)) OVER (PARTITION BY s.state) AS state_count
FROM unnest(CAST(:states AS text[])) WITH ORDINALITY AS s(state, position)
LEFT JOIN backoffice.refunds r ON r.state = s.state
GROUP BY s.state, s.position, r.currency ORDER BY s.position, r.currency
""")

_FAILED_AND_MISMATCHED = sa.text(f"""
WITH failed AS (
    SELECT coalesce(f.currency, '{NO_CURRENCY}') AS currency, count(*) AS n,
           sum(f.failed) AS total
    FROM backoffice.failed_refunds f GROUP BY 1
)
SELECT (SELECT count(*) FROM backoffice.refund_mismatches) AS mismatched, f.currency, f.total,
       coalesce(sum(f.n) OVER (), 0) AS failed
FROM (SELECT 1) one LEFT JOIN failed f ON true ORDER BY f.n DESC, f.currency
""")
# Hash joins of a big clinic's candidates fit in memory instead of spilling to disk; for this
# transaction only (nothing of a session is changed: PgBouncer may hand the connection on).
_ROOM = sa.text("SET LOCAL work_mem = '64MB'")


def finance_dashboard(uow: UnitOfWork, period: Period, bounds: dict[str, Any]) -> FinanceDashboard:
    """The finance figures of `period` (`bounds`: its days as query parameters)."""
    uow.session.execute(_ROOM)
    days = uow.session.execute(_MONTH, bounds).all()
    revenue = _revenue(days)
    currency = revenue[0].currency if revenue else None
    failed = uow.session.execute(_FAILED_AND_MISMATCHED).all()
    return FinanceDashboard(
        period=period,
        revenue=revenue,
        chart_currency=currency,
        daily_takings=_daily(period, days, currency),
        refunds_waiting=_refunds_waiting(uow),
        failed_refunds=int(failed[0].failed),
        failed_refund_totals=tuple(
            Money(row.currency, row.total) for row in failed if row.currency is not None
        ),
        refund_mismatches=failed[0].mismatched,
    )


def _revenue(days: Sequence[Any]) -> tuple[Revenue, ...]:
    """Per currency, the most payments first (then by code)."""
    totals: dict[str, list[Any]] = {}
    for row in days:
        total = totals.setdefault(row.currency, [0, Decimal(0), Decimal(0)])
        total[0] += row.payments
        total[1] += row.gross
        total[2] += row.refunded
    order = sorted(totals, key=lambda c: (-totals[c][0], c))
    return tuple(Revenue(c, *totals[c]) for c in order)


def _daily(period: Period, days: Sequence[Any], currency: str | None) -> tuple[DayTakings, ...]:
    """Every day of the month in `currency` (none when nothing was paid)."""
    if currency is None:
        return ()
    paid = {row.day: (row.gross, row.refunded) for row in days if row.currency == currency}
    count = (period.month_end - period.month_start).days
    calendar = (period.month_start + dt.timedelta(days=n) for n in range(count))
    nothing = (Decimal(0), Decimal(0))
    return tuple(DayTakings(day, *paid.get(day, nothing)) for day in calendar)


def _refunds_waiting(uow: UnitOfWork) -> tuple[RefundsInState, ...]:
    totals: dict[str, list[Money]] = {state: [] for state in WAITING_STATES}
    counts: dict[str, int] = {}
    for row in uow.session.execute(_WAITING, {"states": list(WAITING_STATES)}):
        counts[row.state] = int(row.state_count)
        if row.currency is not None:
            totals[row.state].append(Money(row.currency, Decimal(row.total)))
    return tuple(RefundsInState(s, counts.get(s, 0), tuple(totals[s])) for s in WAITING_STATES)
