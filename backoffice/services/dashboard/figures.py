"""The dashboard of each role, every figure aggregated by PostgreSQL (a few queries, no rows
counted here).

Each role's queries touch only what its group may read (`owner.provisioning.access_matrix`):
finance never names a note table, and a therapist's queries are filtered to their own caseload
(row-level security would narrow them anyway). "Today", "this week" (Monday to Sunday) and "this
month" are days of the clinic's clock (`services.clock`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.services.clock import clinic_now
from backoffice.services.dashboard.therapist import therapist_dashboard
from backoffice.services.dashboard.types import (
    AdminDashboard,
    Dashboard,
    DayTakings,
    FinanceDashboard,
    Money,
    Period,
    RefundsInState,
    Revenue,
    TherapistLoad,
)
from backoffice.services.permissions import Actor, Permission, Role, require
from backoffice.values import NO_CURRENCY

WAITING_STATES = ("requested", "approved")


def get_dashboard(
    uow: UnitOfWork, actor: Actor, *, today: dt.date | None = None, top: int = 10
) -> Dashboard:
    """The figures of the actor's role: admin, finance or therapist.

    `today` (a clinic date) replaces the clinic's today, at the clinic's current time of day;
    `top` is how many therapists the admin's utilisation lists.
    Permission: VIEW_DASHBOARD. Read only: no transaction to commit, no audit event.
    Raises PermissionDenied; NotFound for a therapist login linked to no therapist.
    """
    require(actor, Permission.VIEW_DASHBOARD)
    period = clinic_period(uow, today)
    if actor.role is Role.ADMIN:
        return _admin(uow, period, top=max(1, top))
    if actor.role is Role.FINANCE:
        return _finance(uow, period)
    return therapist_dashboard(uow, actor, period)


def clinic_period(uow: UnitOfWork, today: dt.date | None = None) -> Period:
    """The clinic's now (`clock.clinic_now`), and the day, week and month around it."""
    now = clinic_now(uow)
    if today is not None:
        now = dt.datetime.combine(today, now.time())
    day = now.date()
    return Period(
        as_of=now,
        today=day,
        week_start=day - dt.timedelta(days=day.weekday()),
        month_start=day.replace(day=1),
    )


def _bounds(period: Period) -> dict[str, Any]:
    return {
        "today": period.today,
        "tomorrow": period.today + dt.timedelta(days=1),
        "week_start": period.week_start,
        "week_end": period.week_end,
        "month_start": period.month_start,
        "month_end": period.month_end,
        "now": period.as_of,
    }


# --- admin ----------------------------------------------------------------------------------

_ADMIN_COUNTS = sa.text("""
SELECT
  (SELECT count(*) FROM backoffice.therapist_applications WHERE state = 'pending') AS pending,
  (SELECT count(*) FROM backoffice.therapist_applications
    WHERE state = 'needs_information') AS awaiting_information,
  (SELECT count(*) FROM public.client_session_notes n
    WHERE (lower(trim(n.self_harm_mention)) = 'yes' OR lower(trim(n.current_risk_level)) = 'high')
      AND NOT EXISTS (SELECT 1 FROM backoffice.note_reviews r WHERE r.note_id = n.note_id)
  ) AS high_risk,
  (SELECT count(*) FROM public.client_transfer_history
    WHERE transfer_date >= :month_start AND transfer_date < :month_end) AS transfers
""")

# Active therapists (no status row, or the latest says active) with this week's sessions booked.
_UTILISATION = sa.text("""
WITH booked AS (
    SELECT therapist_id, count(*) AS n FROM public.bookings
    WHERE booking_start_at >= :week_start AND booking_start_at < :week_end
      AND booking_status IS DISTINCT FROM 'cancelled'
    GROUP BY therapist_id
)
SELECT t.therapist_id, t.name, coalesce(b.n, 0) AS booked, greatest(coalesce(t.capacity, 0), 0) AS capacity
FROM public.therapists t LEFT JOIN booked b ON b.therapist_id = t.therapist_id
WHERE (SELECT s.is_active FROM backoffice.therapist_status_changes s
       WHERE s.therapist_id = t.therapist_id ORDER BY s.id DESC LIMIT 1) IS NOT FALSE
ORDER BY coalesce(b.n, 0)::numeric / nullif(t.capacity, 0) DESC NULLS LAST,
         coalesce(b.n, 0) DESC, t.name, t.therapist_id
LIMIT :top
""")


def _admin(uow: UnitOfWork, period: Period, *, top: int) -> AdminDashboard:
    bounds = _bounds(period)
    counts = uow.session.execute(_ADMIN_COUNTS, bounds).one()
    loads = uow.session.execute(_UTILISATION, bounds | {"top": top})
    return AdminDashboard(
        period=period,
        pending_applications=counts.pending,
        applications_awaiting_information=counts.awaiting_information,
        unreviewed_high_risk_notes=counts.high_risk,
        transfers_this_month=counts.transfers,
        utilisation=tuple(
            TherapistLoad(row.therapist_id, row.name, row.booked, row.capacity) for row in loads
        ),
    )


# --- finance --------------------------------------------------------------------------------

_PAID_THIS_MONTH = "p.payment_date >= :month_start AND p.payment_date < :month_end"


def _refunded(table: str) -> str:
    """SQL: the refunded part of payments, counting only refunds the gateway processed."""
    return (
        f"coalesce(sum({table}.refund_amount) "
        f"FILTER (WHERE lower(trim({table}.refund_status)) = 'processed'), 0)"
    )


_REVENUE = sa.text(f"""
SELECT coalesce(p.currency, '{NO_CURRENCY}') AS currency, count(*) AS payments,
       coalesce(sum(p.amount), 0) AS gross, {_refunded("p")} AS refunded
FROM public.payments p WHERE {_PAID_THIS_MONTH}
GROUP BY 1 ORDER BY count(*) DESC, 1
""")

# The month's payments are grouped first (a range of the payment_date index), then laid on the
# calendar: joining the calendar to the payments directly makes PostgreSQL scan them per day.
_DAILY = sa.text(f"""
WITH paid AS (
    SELECT CAST(p.payment_date AS date) AS day, coalesce(sum(p.amount), 0) AS gross,
           {_refunded("p")} AS refunded
    FROM public.payments p
    WHERE {_PAID_THIS_MONTH} AND coalesce(p.currency, '{NO_CURRENCY}') = :currency
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

# The disagreements `refunds.list_refund_mismatches` lists: the payment's refund fields against
# its booking's, or (once the back-office has refunded it) against the refund ledger.
_FAILED_AND_MISMATCHED = sa.text(f"""
WITH mismatched AS (
    SELECT count(*) AS n FROM public.payments p
    LEFT JOIN public.bookings b ON b.booking_id = p.booking_id
    LEFT JOIN backoffice.refund_balances rb ON rb.payment_id = p.payment_id
    WHERE (b.booking_id IS NOT NULL
           AND (p.refund_amount, p.refund_status, p.refund_id, p.refund_failed_date)
               IS DISTINCT FROM (b.refund_amount, b.refund_status, b.refund_id, b.refund_failed_time))
       OR (rb.payment_id IS NOT NULL
           AND coalesce(p.refund_amount, 0) <> rb.refunded_before + rb.completed)
), failed AS (
    SELECT coalesce(currency, '{NO_CURRENCY}') AS currency, count(*) AS n,
           coalesce(sum(coalesce(refund_amount, amount)), 0) AS total
    FROM public.payments WHERE lower(trim(refund_status)) = 'failed' GROUP BY 1
)
SELECT m.n AS mismatched, f.currency, f.total, coalesce(sum(f.n) OVER (), 0) AS failed
FROM mismatched m LEFT JOIN failed f ON true ORDER BY f.n DESC, f.currency
""")


def _finance(uow: UnitOfWork, period: Period) -> FinanceDashboard:
    bounds = _bounds(period)
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
