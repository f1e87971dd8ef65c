"""The dashboard of each role, every figure aggregated by PostgreSQL (a few queries, no rows
counted here).

Each role's queries touch only what its group may read (`owner.provisioning.access_matrix`):
finance never names a note table, and a therapist's queries are filtered to their own caseload
(row-level security would narrow them anyway). "Today", "this week" (Monday to Sunday) and "this
month" are days of the clinic's clock (`services.clock`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.services import therapists
from backoffice.services.clock import clinic_now
from backoffice.services.dashboard.finance import finance_dashboard
from backoffice.services.dashboard.refunds_waiting import refunds_to_approve
from backoffice.services.dashboard.therapist import therapist_dashboard
from backoffice.services.dashboard.types import (
    AdminDashboard,
    Dashboard,
    Period,
    TherapistLoad,
)
from backoffice.services.notes.risk import NEEDS_RISK_REVIEW_SQL
from backoffice.services.permissions import Actor, Permission, Role, require


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
        return _admin(uow, actor, period, top=max(1, top))
    if actor.role is Role.FINANCE:
        return finance_dashboard(uow, period, _bounds(period))
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

# High risk as the review queue's top section counts it (`services.notes.risk`).
_ADMIN_COUNTS = sa.text(f"""
SELECT
  (SELECT count(*) FROM backoffice.therapist_applications WHERE state = 'pending') AS pending,
  (SELECT count(*) FROM backoffice.therapist_applications
    WHERE state = 'needs_information') AS awaiting_information,
  (SELECT count(*) FROM public.client_session_notes n
    WHERE {NEEDS_RISK_REVIEW_SQL}
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


def _admin(uow: UnitOfWork, actor: Actor, period: Period, *, top: int) -> AdminDashboard:
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
        registrations=therapists.expiring_registrations(uow, actor),
        refunds_to_approve=refunds_to_approve(uow),
    )
