"""Laying out one session note for display: its fields (risk ones marked), the client's earlier
notes in order, and its reviews. The content comes from `content.read_opened`, after the opening."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backoffice.risk_language import scan
from backoffice.services.notes.history import client_sessions
from backoffice.services.notes.risk import SCANNED_FIELDS, is_high_risk, is_self_harm
from backoffice.services.notes.tables import (
    bookings,
    note_session_at,
    note_therapist_name,
    notes,
    reviews,
    with_booking,
)
from backoffice.services.notes.types import (
    EarlierNote,
    NoteDetail,
    NoteField,
    ReviewRow,
    RiskSpan,
)

# (column, label, is a risk field), in the order a reader goes through a note
FIELDS = (
    ("session_timing", "Session", False),
    ("session_status", "Session status", False),
    ("client_age", "Age", False),
    ("gender", "Gender", False),
    ("occupation", "Occupation", False),
    ("marital_status", "Marital status", False),
    ("concerns_discussed", "Concerns discussed", False),
    ("somatic_cues", "Somatic cues", False),
    ("interventions_used", "Interventions used", False),
    ("interventions_helpful", "What helped", False),
    ("client_participation", "Participation", False),
    ("goal_progress", "Progress on goals", False),
    ("client_values", "Values", False),
    ("self_harm_mention", "Self-harm mentioned", True),
    ("self_harm_details", "Self-harm details", True),
    ("current_risk_level", "Current risk level", True),
    ("protective_factors", "Protective factors", True),
    ("health_history", "Health history", False),
    ("past_diagnoses", "Past diagnoses", False),
    ("next_session_plan", "Plan for the next session", False),
    ("homework_suggested", "Homework", False),
)


def note_detail(
    db: Session, row: Any, *, opened_at: dt.datetime, with_reviews: bool, with_earlier: bool = True
) -> NoteDetail:
    """A note as shown, from its row of `backoffice.read_opened_notes`."""
    mention, level = row.self_harm_mention, row.current_risk_level
    fields = tuple(
        NoteField(name, label, _text(getattr(row, name)), risk) for name, label, risk in FIELDS
    )
    spans = risk_spans(fields)
    return NoteDetail(
        note_id=row.note_id,
        booking_id=row.booking_id,
        client_id=row.client_id,
        therapist_id=row.therapist_id,
        client_name=row.client_name,
        therapist_name=row.therapist_name,
        session_at=row.session_at,
        written_at=row.created_at,
        risk_level=level,
        self_harm=is_self_harm(mention),
        high_risk=is_high_risk(level, mention) or bool(spans),
        fields=fields,
        earlier=_earlier(db, row) if with_earlier else (),
        reviews=_reviews(db, row.note_id) if with_reviews else (),
        opened_at=opened_at,
        risk_spans=spans,
    )


def risk_spans(fields: tuple[NoteField, ...]) -> tuple[RiskSpan, ...]:
    """The risk language in the note's scanned fields, as the scan finds it (the same matcher on
    the same text), for the note view to highlight."""
    return tuple(
        RiskSpan(f.name, m.phrase, m.start, m.end, m.category.label)
        for f in fields
        if f.name in SCANNED_FIELDS
        for m in scan(f.value)
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or None
    return str(value)


def _earlier(db: Session, note: Any) -> tuple[EarlierNote, ...]:
    """The same client's notes from before this one, oldest first, as this login may see them:
    the client's sessions (`client_sessions`, shared history included) when the note's booking
    names the client, otherwise (an orphaned note) the notes under the client's name."""
    this_when = note.session_at or note.created_at
    if note.client_id is None:
        return _earlier_by_name(db, note, this_when)
    earlier = [
        EarlierNote(
            s.note_id, s.starts_at, s.note_written_at, s.therapist_name, s.risk_level, s.self_harm
        )
        for s in client_sessions(db, [note.client_id])
        if s.note_id is not None and s.note_id != note.note_id
        if this_when is None or (s.starts_at is not None and s.starts_at < this_when)
    ]
    return tuple(sorted(earlier, key=lambda e: (e.session_at or dt.datetime.min, e.note_id)))


def _earlier_by_name(
    db: Session, note: Any, this_when: dt.datetime | None
) -> tuple[EarlierNote, ...]:
    when = note_session_at()
    query = with_booking(
        sa.select(
            notes.c.note_id,
            bookings.c.booking_start_at,
            notes.c.created_at,
            note_therapist_name(),
            notes.c.current_risk_level,
            notes.c.self_harm_mention,
        )
    )
    query = query.where(
        notes.c.note_id != note.note_id, notes.c.client_name == note.client_name
    ).order_by(when, notes.c.note_id)
    if this_when is not None:
        query = query.where(when < this_when)
    return tuple(_earlier_note(r) for r in db.execute(query))


def _earlier_note(row: Any) -> EarlierNote:
    return EarlierNote(
        row.note_id,
        row.booking_start_at,
        row.created_at,
        row.therapist_name,
        row.current_risk_level,
        is_self_harm(row.self_harm_mention),
    )


def _reviews(db: Session, note_id: int) -> tuple[ReviewRow, ...]:
    rows = db.execute(sa.select(reviews).where(reviews.c.note_id == note_id).order_by(reviews.c.id))
    return tuple(
        ReviewRow(r.id, r.note_id, r.reviewer, r.reviewed_at, r.outcome, r.comment) for r in rows
    )
