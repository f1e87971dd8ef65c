"""The finance dashboard: this month's revenue and refunds, refunds waiting, failed and mismatched.

"Refunded", "failed" and "disagrees" are the database's one definition (`backoffice.payment_refunds`,
`failed_refunds` and `refund_mismatches`, migration 0004), the same the reports and reconciliation
read. The failed and mismatch tiles start from their candidates (partial indexes that `db check`
proposes), not from every payment joined to every booking.
"""

from __future__ import annotations

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

_PAID_THIS_MONTH = "pr.payment_date >= :month_start AND pr.payment_date < :month_end"

_REVENUE = sa.text(f"""
SELECT coalesce(pr.currency, '{NO_CURRENCY}') AS currency, count(*) AS payments,
       coalesce(sum(pr.paid), 0) AS gross, coalesce(sum(pr.refunded), 0) AS refunded
FROM backoffice.payment_refunds pr WHERE {_PAID_THIS_MONTH}
GROUP BY 1 ORDER BY count(*) DESC, 1
""")

# The month's payments are grouped first (a range of the payment_date index), then laid on the
# calendar: joining the calendar to the payments directly makes PostgreSQL scan them per day.
_DAILY = sa.text(f"""
WITH paid AS (
    SELECT CAST(pr.payment_date AS date) AS day, coalesce(sum(pr.paid), 0) AS gross,
           coalesce(sum(pr.refunded), 0) AS refunded
    FROM backoffice.payment_refunds pr
    WHERE {_PAID_THIS_MONTH} AND coalesce(pr.currency, '{NO_CURRENCY}') = :currency
    GROUP BY 1
)
SELECT CAST(d.day AS date) AS day, coalesce(paid.gross, 0) AS gross,
       coalesce(paid.refunded, 0) AS refunded
FROM generate_series(CAST(:month_start AS timestamp), CAST(:month_end AS timestamp)
                     - interval '1 day', interval '1 day') AS d(day)
LEFT JOIN paid ON paid.day = CAST(d.day AS date)
ORDER BY d.day
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


def finance_dashboard(uow: UnitOfWork, period: Period, bounds: dict[str, Any]) -> FinanceDashboard:
    """The finance figures of `period` (`bounds`: its days as query parameters)."""
    revenue = tuple(
        Revenue(row.currency, row.payments, row.gross, row.refunded)
        for row in uow.session.execute(_REVENUE, bounds)
    )
    currency = revenue[0].currency if revenue else None
    daily = uow.session.execute(_DAILY, bounds | {"currency": currency}).all() if currency else []
    failed = uow.session.execute(_FAILED_AND_MISMATCHED).all()
    return FinanceDashboard(
        period=period,
        revenue=revenue,
        chart_currency=currency,
        daily_takings=tuple(DayTakings(row.day, row.gross, row.refunded) for row in daily),
        refunds_waiting=_refunds_waiting(uow),
        failed_refunds=int(failed[0].failed),
        failed_refund_totals=tuple(
            Money(row.currency, row.total) for row in failed if row.currency is not None
        ),
        refund_mismatches=failed[0].mismatched,
    )


def _refunds_waiting(uow: UnitOfWork) -> tuple[RefundsInState, ...]:
    totals: dict[str, list[Money]] = {state: [] for state in WAITING_STATES}
    counts: dict[str, int] = {}
    for row in uow.session.execute(_WAITING, {"states": list(WAITING_STATES)}):
        counts[row.state] = int(row.state_count)
        if row.currency is not None:
            totals[row.state].append(Money(row.currency, Decimal(row.total)))
    return tuple(RefundsInState(s, counts.get(s, 0), tuple(totals[s])) for s in WAITING_STATES)
