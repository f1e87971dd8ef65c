"""The clinical report `client-history`: one client's sessions, transfers and review outcomes in the
period, for a handover to another therapist. Admins only, with a confidentiality footer.

A client's sessions are the bookings whose `invitee_id` is the client's id; transfers are matched
by the client's e-mail (by name when the client has none), as `client_transfer_history` keeps no
client id. Risk flags and reviewers' comments are shown, never a note's content.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.reports import (
    Column,
    KeyFigure,
    KeyFiguresSection,
    ParagraphSection,
    Section,
    TableSection,
)
from backoffice.services.clock import AT_CLINIC_ZONE
from backoffice.services.notes import NO_MENTION
from backoffice.services.reports.builders.frames import frame
from backoffice.services.reports.types import ReportContent, ReportRequest

_CLIENT = sa.text("""
SELECT client_id, client_name, coalesce(assigned_therapist, '') AS therapist
FROM public.all_clients_table WHERE client_id = :client
""")

_SESSIONS = sa.text("""
WITH notes AS (
    SELECT DISTINCT ON (n.booking_id) n.booking_id, n.note_id, n.current_risk_level,
           n.self_harm_mention
    FROM public.client_session_notes n
    WHERE n.booking_id IN (SELECT booking_id FROM public.bookings WHERE invitee_id = :client)
    ORDER BY n.booking_id, n.note_id DESC
), latest AS (
    SELECT DISTINCT ON (note_id) note_id, outcome FROM backoffice.note_reviews
    ORDER BY note_id, id DESC
)
SELECT b.booking_id, b.booking_start_at AS session_at,
       coalesce(t.name, b.booking_host_name) AS therapist, coalesce(b.booking_mode, '') AS mode,
       coalesce(b.booking_status, '') AS status, CAST(n.note_id AS text) AS note_id,
       coalesce(n.current_risk_level, '') AS risk_level,
       CASE WHEN n.note_id IS NULL THEN ''
            WHEN lower(trim(coalesce(n.self_harm_mention, ''))) <> ALL(CAST(:no_mention AS text[]))
            THEN 'yes' ELSE 'no' END AS self_harm,
       CASE WHEN n.note_id IS NULL THEN '' ELSE coalesce(l.outcome, 'not reviewed') END AS outcome
FROM public.bookings b
LEFT JOIN public.therapists t ON t.therapist_id = b.therapist_id
LEFT JOIN notes n ON n.booking_id = b.booking_id
LEFT JOIN latest l ON l.note_id = n.note_id
WHERE b.invitee_id = :client AND b.booking_start_at >= :start AND b.booking_start_at < :end
ORDER BY b.booking_start_at, b.booking_id
""")

_TRANSFERS = sa.text("""
SELECT h.transfer_date, coalesce(h.from_therapist_name, '(none)') AS from_therapist,
       h.to_therapist_name AS to_therapist, coalesce(h.reason, '') AS reason,
       coalesce(h.transferred_by_admin_name, '') AS transferred_by, coalesce(h.notes, '') AS notes
FROM public.client_transfer_history h, public.all_clients_table c
WHERE c.client_id = :client
  AND (h.client_email = c.email_id OR (c.email_id IS NULL AND h.client_name = c.client_name))
  AND h.transfer_date >= :start AND h.transfer_date < :end
ORDER BY h.transfer_date, h.transfer_id
""")

_REVIEWS = sa.text(f"""
SELECT CAST(r.note_id AS text) AS note_id, b.booking_start_at AS session_at,
       CAST(r.reviewed_at {AT_CLINIC_ZONE} AS timestamp) AS reviewed_at, r.reviewer, r.outcome,
       coalesce(r.comment, '') AS comment
FROM backoffice.note_reviews r
JOIN public.client_session_notes n ON n.note_id = r.note_id
JOIN public.bookings b ON b.booking_id = n.booking_id
WHERE b.invitee_id = :client AND b.booking_start_at >= :start AND b.booking_start_at < :end
ORDER BY r.reviewed_at, r.id
""")

_SESSION_COLUMNS = (
    Column("session_at", "Session", "datetime"),
    Column("therapist", "Therapist"),
    Column("mode", "Mode"),
    Column("status", "Status"),
    Column("note_id", "Note"),
    Column("risk_level", "Risk level"),
    Column("self_harm", "Self-harm"),
    Column("outcome", "Review outcome"),
)
_TRANSFER_COLUMNS = (
    Column("transfer_date", "Date", "datetime"),
    Column("from_therapist", "From"),
    Column("to_therapist", "To"),
    Column("reason", "Reason"),
    Column("transferred_by", "Transferred by"),
    Column("notes", "Notes"),
)
_REVIEW_COLUMNS = (
    Column("note_id", "Note"),
    Column("session_at", "Session", "datetime"),
    Column("reviewed_at", "Reviewed", "datetime"),
    Column("reviewer", "Reviewer"),
    Column("outcome", "Outcome"),
    Column("comment", "Comment"),
)
NOTE = (
    "Sessions, transfers and reviews of the period only; widen the period for the whole "
    "history. Review outcome is each note's latest review."
)


def build_client_history(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    params = request.params(no_mention=list(NO_MENTION))
    client = uow.session.execute(_CLIENT, params).one()  # run_report checked that it exists
    sessions = frame(uow, _SESSIONS, params)
    transfers = frame(uow, _TRANSFERS, params)
    reviews = frame(uow, _REVIEWS, params)
    tables = _history_tables(sessions, transfers, reviews)
    rows = len(sessions) + len(transfers) + len(reviews)
    return ReportContent(
        sections=[_history_figures(client, sessions), *tables, ParagraphSection(NOTE, note=True)],
        spreadsheet=tables,
        rows=rows,
        empty=rows == 0,
        empty_sentence="This client had no sessions, transfers or reviews in this period.",
    )


def _history_figures(client: Any, sessions: pd.DataFrame) -> KeyFiguresSection:
    def count(status: str) -> int:
        return int((sessions["status"].str.lower() == status).sum()) if not sessions.empty else 0

    return KeyFiguresSection(
        [
            KeyFigure("Therapist now", client.therapist or "none"),
            KeyFigure("Sessions", len(sessions), "int"),
            KeyFigure("Completed", count("completed"), "int"),
            KeyFigure("Cancelled or missed", count("cancelled") + count("no_show"), "int"),
        ],
        title=client.client_name,
    )


def _history_tables(
    sessions: pd.DataFrame, transfers: pd.DataFrame, reviews: pd.DataFrame
) -> list[Section]:
    return [
        TableSection(
            "Sessions", _SESSION_COLUMNS, sessions, empty_text="No sessions in this period."
        ),
        TableSection(
            "Transfers", _TRANSFER_COLUMNS, transfers, empty_text="No transfers in this period."
        ),
        TableSection(
            "Note reviews",
            _REVIEW_COLUMNS,
            reviews,
            empty_text="No notes of this client were reviewed in this period.",
        ),
    ]
