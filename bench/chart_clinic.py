"""For `bench/chart.py`: a client with 200 weekly sessions added to the demo clinic once, and the
naive chart loader (one query listing the sessions, then one query per session; the additional
notes and transfers as the chart service reads them)."""

from __future__ import annotations

from typing import Any

import psycopg
import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.services.chart import reads as chart_reads
from backoffice.services.clock import CLINIC_NOW_SQL
from backoffice.services.notes import ClientSession
from backoffice.services.notes.risk import is_high_risk, is_self_harm
from backoffice.services.permissions import Actor

CLIENT = "C-BENCH-200"
SESSIONS, UPCOMING = 200, 20
_RISK = ("low", "low", "medium", "low", "high", "low", "medium")

_PLANT = f"""
WITH t AS (
    SELECT s.therapist_id, th.name FROM backoffice.staff_accounts s
    JOIN public.therapists th ON th.therapist_id = s.therapist_id
    WHERE s.login_role = 'demo_therapist'
), clock AS (
    SELECT date_trunc('hour', {CLINIC_NOW_SQL}) AS now
), plan AS (
    SELECT i, 'BENCH200-' || lpad(i::text, 3, '0') AS booking_id,
           clock.now + make_interval(days => 7 * (i - %(past)s)) + interval '2 hours' AS start_at
    FROM generate_series(1, %(total)s) AS i, clock
), client AS (
    INSERT INTO public.all_clients_table (client_id, client_name, phone_number, email_id,
                                          no_of_sessions, therapist_id, assigned_therapist)
    SELECT %(client)s, 'Meera Benchmark', '+91 90000 00200', 'meera.bench@example.com',
           %(total)s, t.therapist_id, t.name FROM t RETURNING client_id
), booked AS (
    INSERT INTO public.bookings (booking_id, invitee_id, invitee_name, therapist_id,
        booking_host_name, booking_start_at, booking_end_at, booking_duration, booking_status,
        booking_mode)
    SELECT p.booking_id, %(client)s, 'Meera Benchmark', t.therapist_id, t.name, p.start_at,
           p.start_at + interval '50 minutes', 50,
           CASE WHEN p.i > %(past)s THEN 'confirmed' WHEN p.i %% 15 = 0 THEN 'cancelled'
                ELSE 'completed' END,
           CASE WHEN p.i %% 3 = 0 THEN 'in-person' ELSE 'online' END
    FROM plan p, t RETURNING booking_id
)
INSERT INTO public.appointment_table (session_id, session_timings, session_name, session_mode,
    client_id, client_name, therapist_id, therapist_name)
SELECT p.booking_id, p.start_at, 'Therapy session',
       CASE WHEN p.i %% 3 = 0 THEN 'in-person' ELSE 'online' END, %(client)s,
       'Meera Benchmark', t.therapist_id, t.name
FROM plan p, t WHERE p.booking_id IN (SELECT booking_id FROM booked)
  AND EXISTS (SELECT 1 FROM client)
"""

_NOTES = f"""
INSERT INTO public.client_session_notes (booking_id, client_name, session_timing, host_name,
    session_status, client_age, concerns_discussed, interventions_used, goal_progress,
    self_harm_mention, self_harm_details, current_risk_level, protective_factors,
    next_session_plan, homework_suggested, created_at, updated_at)
SELECT b.booking_id, b.invitee_name, to_char(b.booking_start_at, 'DD Mon YYYY HH24:MI'),
       b.booking_host_name, 'completed', 34,
       'Week ' || row_number() OVER (ORDER BY b.booking_start_at) || ': sleep, work stress and family.',
       'CBT thought record; grounding', 'Steady progress on the sleep goal',
       CASE WHEN row_number() OVER (ORDER BY b.booking_start_at) %% 29 = 0 THEN 'yes' ELSE 'no' END,
       CASE WHEN row_number() OVER (ORDER BY b.booking_start_at) %% 29 = 0
            THEN 'Passive thoughts last week; safety plan reviewed.' END,
       (CAST(%(risk)s AS text[]))[1 + (row_number() OVER (ORDER BY b.booking_start_at))::int %% %(risks)s],
       'Sister nearby; weekly yoga', 'Review the sleep diary', 'Sleep diary',
       b.booking_end_at + interval '3 hours', b.booking_end_at + interval '3 hours'
FROM public.bookings b
WHERE b.invitee_id = %(client)s AND b.booking_status = 'completed'
  AND b.booking_start_at < {CLINIC_NOW_SQL} - interval '3 weeks'
"""

_ADDITIONAL = """
INSERT INTO public.client_additional_notes (booking_id, therapist_id, therapist_name, note_text,
                                            created_at, updated_at)
SELECT b.booking_id, b.therapist_id, b.booking_host_name, 'Phoned to reschedule; all well.',
       b.booking_end_at, b.booking_end_at
FROM public.bookings b WHERE b.invitee_id = %(client)s AND b.booking_id LIKE '%%0'
"""


def add_bench_client(owner_conninfo: str) -> None:
    """The client, 200 weekly sessions (the last 20 to come), notes on the completed ones but the
    latest few, a few additional notes; once."""
    params = {
        "client": CLIENT,
        "total": SESSIONS,
        "past": SESSIONS - UPCOMING,
        "risk": list(_RISK),
        "risks": len(_RISK),
    }
    with psycopg.connect(owner_conninfo) as conn:
        found = conn.execute(
            "SELECT 1 FROM public.all_clients_table WHERE client_id = %s", (CLIENT,)
        ).fetchone()
        if found:
            return
        for statement in (_PLANT, _NOTES, _ADDITIONAL):
            conn.execute(statement, params)
        conn.commit()


_ONE_SESSION = sa.text("""
SELECT b.booking_id, b.invitee_name, b.booking_start_at, b.booking_end_at, b.booking_status,
       b.booking_mode, b.therapist_id, b.booking_host_name, n.note_id, n.created_at,
       n.current_risk_level, n.self_harm_mention
FROM bookings b LEFT JOIN client_session_notes n ON n.booking_id = b.booking_id
WHERE b.booking_id = :booking_id
""")


def naive_chart(uow: UnitOfWork, actor: Actor, *, client_id: str, **_: Any) -> Any:
    """The chart as a first version would load it: the session ids, then each session alone."""
    ids = uow.session.execute(
        sa.text("SELECT booking_id FROM bookings WHERE invitee_id = :c ORDER BY booking_start_at"),
        {"c": client_id},
    ).scalars()
    rows = [uow.session.execute(_ONE_SESSION, {"booking_id": b}).one() for b in list(ids)]
    sessions = [_session(client_id, row) for row in rows]
    client = uow.session.execute(
        sa.select(chart_reads.clients).where(chart_reads.clients.c.client_id == client_id)
    ).first()
    return chart_reads._chart(uow, actor, client_id, client, sessions, focus=None)


def _session(client_id: str, row: Any) -> ClientSession:
    return ClientSession(
        client_id=client_id,
        client_name=row.invitee_name,
        booking_id=row.booking_id,
        starts_at=row.booking_start_at,
        ends_at=row.booking_end_at,
        status=row.booking_status,
        mode=row.booking_mode,
        therapist_id=row.therapist_id,
        therapist_name=row.booking_host_name,
        note_id=row.note_id,
        note_written_at=row.created_at,
        risk_level=row.current_risk_level,
        self_harm=row.note_id is not None and is_self_harm(row.self_harm_mention),
        high_risk=row.note_id is not None
        and is_high_risk(row.current_risk_level, row.self_harm_mention),
        note_due=False,
    )
