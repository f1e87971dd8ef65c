"""The therapist's dashboard: today's sessions, this week, the caseload, notes due, clients at risk
(high risk or self-harm in their latest note) and the transfers received this month. Row security
narrows every query to the therapist's own caseload; the queries name it anyway."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.services.chart import list_caseload
from backoffice.services.dashboard.types import (
    DaySessions,
    Period,
    ReceivedTransfer,
    TherapistDashboard,
    TodaySession,
)
from backoffice.services.notes import list_my_notes_due
from backoffice.services.permissions import Actor, require_therapist

_WEEK = sa.text("""
SELECT d.day::date AS day, count(b.booking_id) AS sessions,
       sum(count(b.booking_id)) OVER () AS week_total
FROM generate_series(CAST(:week_start AS timestamp), CAST(:week_start AS timestamp)
                     + interval '6 days', interval '1 day') AS d(day)
LEFT JOIN public.bookings b
  ON b.therapist_id = :therapist_id
 AND b.booking_start_at >= d.day AND b.booking_start_at < d.day + interval '1 day'
 AND b.booking_status IS DISTINCT FROM 'cancelled'
GROUP BY d.day ORDER BY d.day
""")

_CASELOAD = sa.text(
    "SELECT count(*) FROM public.all_clients_table WHERE therapist_id = :therapist_id"
)

_TODAY = sa.text("""
SELECT b.booking_id, coalesce(a.client_id, b.invitee_id) AS client_id,
       coalesce(b.invitee_name, a.client_name) AS client_name, b.booking_start_at,
       b.booking_end_at, coalesce(b.booking_mode, a.session_mode) AS mode, b.booking_status
FROM public.bookings b LEFT JOIN public.appointment_table a ON a.session_id = b.booking_id
WHERE b.therapist_id = :therapist_id AND b.booking_status IS DISTINCT FROM 'cancelled'
  AND b.booking_start_at >= :today AND b.booking_start_at < :tomorrow
ORDER BY b.booking_start_at, b.booking_id
""")

# The history names clients, not ids: the receiving therapist's client of that name (and email).
_RECEIVED = sa.text("""
SELECT h.transfer_id, h.transfer_date, h.client_name, h.from_therapist_name, h.reason,
       (SELECT c.client_id FROM public.all_clients_table c
        WHERE c.client_name = h.client_name AND c.therapist_id = :therapist_id
          AND (h.client_email IS NULL OR c.email_id IS NULL OR c.email_id = h.client_email)
        ORDER BY c.client_id LIMIT 1) AS client_id
FROM public.client_transfer_history h
WHERE h.to_therapist_id = :therapist_id
  AND h.transfer_date >= :month_start AND h.transfer_date < :month_end
ORDER BY h.transfer_date DESC, h.transfer_id DESC
""")


def therapist_dashboard(uow: UnitOfWork, actor: Actor, period: Period) -> TherapistDashboard:
    """Raises NotFound for a therapist login linked to no therapist."""
    therapist_id = require_therapist(actor)
    bounds = _bounds(period) | {"therapist_id": therapist_id}
    week = uow.session.execute(_WEEK, bounds).all()
    due = list_my_notes_due(uow, actor)
    return TherapistDashboard(
        period=period,
        therapist_id=therapist_id,
        sessions_today=next(row.sessions for row in week if row.day == period.today),
        sessions_this_week=int(week[0].week_total),
        caseload=uow.session.execute(_CASELOAD, bounds).scalar_one(),
        notes_due=len(due),
        week=tuple(DaySessions(row.day, row.sessions) for row in week),
        today=tuple(_today(row) for row in uow.session.execute(_TODAY, bounds)),
        due=due,
        at_risk=tuple(r for r in list_caseload(uow, actor) if r.latest_high_risk),
        transfers_received=tuple(_received(row) for row in uow.session.execute(_RECEIVED, bounds)),
    )


def _bounds(period: Period) -> dict[str, Any]:
    return {
        "today": period.today,
        "tomorrow": period.today + dt.timedelta(days=1),
        "week_start": period.week_start,
        "month_start": period.month_start,
        "month_end": period.month_end,
    }


def _today(row: Any) -> TodaySession:
    return TodaySession(
        booking_id=row.booking_id,
        client_id=row.client_id,
        client_name=row.client_name,
        starts_at=row.booking_start_at,
        ends_at=row.booking_end_at,
        mode=row.mode,
        status=row.booking_status,
    )


def _received(row: Any) -> ReceivedTransfer:
    return ReceivedTransfer(
        transfer_id=row.transfer_id,
        transferred_at=row.transfer_date,
        client_id=row.client_id,
        client_name=row.client_name,
        from_therapist=row.from_therapist_name,
        reason=row.reason,
    )
