"""The `caseload` report: per therapist, clients assigned and seen, last and next session, notes due,
and the risk mix of the notes written for the period's sessions.

"Last" and "next" sessions and notes due are as of now (notes due: completed sessions that ended
more than 48 hours ago without a note, whenever); the other figures are the period's. The risk
mix counts notes, not their content: an admin report, not a clinical one.
"""

from __future__ import annotations

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.reports import Column, KeyFigure, KeyFiguresSection, ParagraphSection, TableSection
from backoffice.services.clock import CLINIC_NOW_SQL
from backoffice.services.notes import HIGH_RISK_LEVELS, NO_MENTION, NOTE_DEADLINE
from backoffice.services.reports.builders.frames import column_total, frame
from backoffice.services.reports.types import ReportContent, ReportRequest

_RISK = """CASE
    WHEN lower(trim(coalesce(n.current_risk_level, ''))) = ANY(CAST(:high_levels AS text[]))
      OR lower(trim(coalesce(n.self_harm_mention, ''))) <> ALL(CAST(:no_mention AS text[]))
      THEN 'high'
    WHEN lower(trim(n.current_risk_level)) = 'medium' THEN 'medium'
    WHEN lower(trim(n.current_risk_level)) = 'low' THEN 'low'
    ELSE 'unrated' END"""

_CASELOAD = sa.text(f"""
WITH assigned AS (
    SELECT therapist_id, count(*) AS clients FROM public.all_clients_table GROUP BY therapist_id
), period AS (
    SELECT therapist_id, count(*) AS sessions, count(DISTINCT invitee_id) AS clients_seen
    FROM public.bookings
    WHERE booking_start_at >= :start AND booking_start_at < :end
      AND lower(coalesce(booking_status, '')) <> 'cancelled'
    GROUP BY therapist_id
), around_now AS (
    SELECT therapist_id,
           max(booking_start_at) FILTER (WHERE booking_start_at <= {CLINIC_NOW_SQL}
               AND lower(coalesce(booking_status, '')) IN ('completed', 'no_show')) AS last_session,
           min(booking_start_at) FILTER (WHERE booking_start_at > {CLINIC_NOW_SQL}
               AND lower(coalesce(booking_status, '')) <> 'cancelled') AS next_session
    FROM public.bookings GROUP BY therapist_id
), due AS (
    SELECT b.therapist_id, count(*) AS notes_due
    FROM public.bookings b
    WHERE lower(b.booking_status) = 'completed'
      AND b.booking_end_at < {CLINIC_NOW_SQL} - :note_deadline
      AND NOT EXISTS (SELECT 1 FROM public.client_session_notes n WHERE n.booking_id = b.booking_id)
    GROUP BY b.therapist_id
), risk AS (
    SELECT b.therapist_id, count(*) FILTER (WHERE r.level = 'low') AS low,
           count(*) FILTER (WHERE r.level = 'medium') AS medium,
           count(*) FILTER (WHERE r.level = 'high') AS high,
           count(*) FILTER (WHERE r.level = 'unrated') AS unrated
    FROM public.client_session_notes n
    JOIN public.bookings b ON b.booking_id = n.booking_id
    CROSS JOIN LATERAL (SELECT {_RISK} AS level) r
    WHERE b.booking_start_at >= :start AND b.booking_start_at < :end
    GROUP BY b.therapist_id
)
SELECT t.therapist_id, t.name AS therapist, coalesce(a.clients, 0) AS clients,
       coalesce(p.clients_seen, 0) AS clients_seen, coalesce(p.sessions, 0) AS sessions,
       w.last_session, w.next_session, coalesce(d.notes_due, 0) AS notes_due,
       coalesce(r.low, 0) AS low, coalesce(r.medium, 0) AS medium, coalesce(r.high, 0) AS high,
       coalesce(r.unrated, 0) AS unrated
FROM public.therapists t
LEFT JOIN assigned a ON a.therapist_id = t.therapist_id
LEFT JOIN period p ON p.therapist_id = t.therapist_id
LEFT JOIN around_now w ON w.therapist_id = t.therapist_id
LEFT JOIN due d ON d.therapist_id = t.therapist_id
LEFT JOIN risk r ON r.therapist_id = t.therapist_id
WHERE (CAST(:therapist AS text) IS NULL OR t.therapist_id = :therapist)
  AND (a.clients > 0 OR p.sessions > 0 OR d.notes_due > 0)
ORDER BY coalesce(r.high, 0) DESC, coalesce(d.notes_due, 0) DESC, t.name, t.therapist_id
""")

_COLUMNS = (
    Column("therapist", "Therapist"),
    Column("clients", "Clients", "int"),
    Column("clients_seen", "Seen", "int"),
    Column("sessions", "Sessions", "int"),
    Column("last_session", "Last session", "datetime"),
    Column("next_session", "Next session", "datetime"),
    Column("notes_due", "Notes due", "int"),
    Column("low", "Low risk", "int"),
    Column("medium", "Medium", "int"),
    Column("high", "High", "int"),
    Column("unrated", "Unrated", "int"),
)
NOTE = (
    "Clients: assigned now. Seen: clients with a session in the period; sessions exclude "
    "cancellations. Last and next session and notes due (completed sessions without a note "
    "48 hours after they ended) are as of now. The risk columns count the notes of the "
    "period's sessions by the risk they record; high includes any self-harm mention."
)


def build_caseload(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    rows = frame(uow, _CASELOAD, _caseload_params(request))
    figures = KeyFiguresSection(
        [
            KeyFigure("Clients assigned", column_total(rows, "clients"), "int"),
            KeyFigure("Sessions in the period", column_total(rows, "sessions"), "int"),
            KeyFigure("Notes due now", column_total(rows, "notes_due"), "int"),
            KeyFigure("High-risk notes in the period", column_total(rows, "high"), "int"),
        ]
    )
    table = TableSection(
        "Caseload by therapist, high risk and notes due first",
        _COLUMNS,
        rows,
        totals=True,
        empty_text="No therapist has clients or sessions.",
    )
    return ReportContent(
        sections=[figures, table, ParagraphSection(NOTE, note=True)],
        spreadsheet=[table],
        rows=len(rows),
        empty=column_total(rows, "sessions") == 0,
        empty_sentence="No sessions took place in this period.",
    )


def _caseload_params(request: ReportRequest) -> dict[str, object]:
    return request.params(
        high_levels=list(HIGH_RISK_LEVELS), no_mention=list(NO_MENTION), note_deadline=NOTE_DEADLINE
    )
