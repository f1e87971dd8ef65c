"""The clinical report `risk-review`, for admins only (RUN_CLINICAL_REPORTS), with a
confidentiality footer: the period's high-risk notes (a high risk level, a self-harm mention, or
risk language the scan found in the text), their review state and outcome.

It shows risk flags, the risk phrases found and review outcomes, never a note's whole content:
the phrases are read on record (one opening batch for the report, purpose 'phrases'), and reading
a note goes through `notes.open_note`, which logs the opening.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.reports import Column, KeyFigure, KeyFiguresSection, ParagraphSection, TableSection
from backoffice.services.clock import AT_CLINIC_ZONE, CLINIC_NOW_SQL
from backoffice.services.notes.content import read_risk_phrases
from backoffice.services.notes.risk import NEEDS_RISK_REVIEW_SQL, SELF_HARM_SQL, TEXT_FLAGGED_SQL
from backoffice.services.reports.builders.frames import duration_text, frame, median_duration
from backoffice.services.reports.types import ReportContent, ReportRequest

_REVIEWS = f"""
    SELECT note_id, count(*) AS reviews, min(reviewed_at) AS first_reviewed_at,
           (array_agg(outcome ORDER BY id DESC))[1] AS outcome,
           (array_agg(reviewer ORDER BY id DESC))[1] AS reviewer,
           CAST(max(reviewed_at) {AT_CLINIC_ZONE} AS timestamp) AS reviewed_at
    FROM backoffice.note_reviews GROUP BY note_id"""
_NOTE_ROW = f"""
    CAST(n.note_id AS text) AS note_id, coalesce(b.booking_start_at, n.created_at) AS session_at, n.client_name AS client,
    coalesce(t.name, n.host_name) AS therapist, coalesce(n.current_risk_level, '') AS risk_level,
    CASE WHEN {SELF_HARM_SQL} THEN 'yes' ELSE 'no' END AS self_harm,
    {TEXT_FLAGGED_SQL} AS text_flagged,
    coalesce(r.outcome, 'not reviewed') AS outcome, coalesce(r.reviewer, '') AS reviewer,
    r.reviewed_at,
    CAST(extract(epoch FROM coalesce(CAST(r.first_reviewed_at {AT_CLINIC_ZONE} AS timestamp),
                                     {CLINIC_NOW_SQL}) - n.created_at) AS bigint)
        AS seconds"""

_RISK_NOTES = sa.text(f"""
WITH r AS ({_REVIEWS})
SELECT {_NOTE_ROW}
FROM public.client_session_notes n
LEFT JOIN public.bookings b ON b.booking_id = n.booking_id
LEFT JOIN public.therapists t ON t.therapist_id = b.therapist_id
LEFT JOIN r ON r.note_id = n.note_id
WHERE {NEEDS_RISK_REVIEW_SQL}
  AND coalesce(b.booking_start_at, n.created_at) >= :start
  AND coalesce(b.booking_start_at, n.created_at) < :end
  AND (CAST(:therapist AS text) IS NULL OR b.therapist_id = :therapist)
ORDER BY r.outcome IS NOT NULL, 2, n.note_id
""")

_RISK_COLUMNS = (
    Column("note_id", "Note"),
    Column("session_at", "Session", "datetime"),
    Column("client", "Client"),
    Column("therapist", "Therapist"),
    Column("risk_level", "Risk level"),
    Column("self_harm", "Self-harm"),
    Column("text_mentions", "Text mentions"),
    Column("outcome", "Review outcome"),
    Column("reviewer", "Reviewer"),
    Column("reviewed_at", "Reviewed", "datetime"),
    Column("time_to_review", "Time to review"),
)
_OUTCOME_COLUMNS = (Column("outcome", "Outcome"), Column("notes", "Notes", "int"))
RISK_NOTE = (
    "High-risk notes: a high (or severe, critical, imminent) risk level, any self-harm mention, "
    "or risk language the nightly scan found in the note's text (its phrases under Text "
    "mentions), for sessions in the period; unreviewed ones first. Time to review runs from the "
    "note being written to its first review; for notes not yet reviewed, until now."
)


def build_risk_review(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    notes = frame(uow, _RISK_NOTES, request.params())
    notes["text_mentions"] = _text_mentions(uow, notes)
    pairs = zip(notes["outcome"].tolist(), notes["seconds"].tolist(), strict=True)
    notes["time_to_review"] = [_review_time(outcome, seconds) for outcome, seconds in pairs]
    outcomes = _outcome_counts(notes)
    tables = [
        TableSection(
            "High-risk notes, unreviewed first",
            _RISK_COLUMNS,
            notes,
            empty_text="No high-risk notes for sessions in this period.",
        ),
        TableSection(
            "Notes by review outcome",
            _OUTCOME_COLUMNS,
            outcomes,
            totals=True,
            empty_text="No notes.",
        ),
    ]
    return ReportContent(
        sections=[_risk_figures(notes), *tables, ParagraphSection(RISK_NOTE, note=True)],
        spreadsheet=tables,
        rows=len(notes) + len(outcomes),
        empty=notes.empty,
        empty_sentence="No high-risk notes were written for sessions in this period.",
    )


def _risk_figures(notes: pd.DataFrame) -> KeyFiguresSection:
    outcomes_and_seconds = zip(notes["outcome"], notes["seconds"], strict=True)
    reviewed = (s for outcome, s in outcomes_and_seconds if outcome != "not reviewed")
    return KeyFiguresSection(
        [
            KeyFigure("High-risk notes", len(notes), "int"),
            KeyFigure("Not reviewed", int((notes["outcome"] == "not reviewed").sum()), "int"),
            KeyFigure("With a self-harm mention", int((notes["self_harm"] == "yes").sum()), "int"),
            KeyFigure("With risk language in the text", int(notes["text_flagged"].sum()), "int"),
            KeyFigure("Median time to review", median_duration(reviewed, none="none reviewed")),
        ]
    )


def _text_mentions(uow: UnitOfWork, notes: pd.DataFrame) -> list[str]:
    """The phrases the scan found in each text-flagged note, read on record."""
    flagged = zip(notes["note_id"].tolist(), notes["text_flagged"].tolist(), strict=True)
    ids = [int(note_id) for note_id, is_flagged in flagged if is_flagged]
    phrases = read_risk_phrases(uow, ids)
    return [
        ", ".join(f"'{p}'" for p in dict.fromkeys(phrases.get(int(note_id), ())))
        for note_id in notes["note_id"].tolist()
    ]


def _review_time(outcome: str, seconds: int | None) -> str | None:
    shown = duration_text(seconds)
    return f"waiting {shown}" if outcome == "not reviewed" and shown else shown


def _outcome_counts(notes: pd.DataFrame) -> pd.DataFrame:
    counted: dict[str, int] = {}
    for outcome in notes["outcome"].tolist():
        counted[outcome] = counted.get(outcome, 0) + 1
    rows = sorted(counted.items(), key=lambda r: (r[0] != "not reviewed", -r[1], r[0]))
    return pd.DataFrame(rows, columns=["outcome", "notes"], dtype=object)
