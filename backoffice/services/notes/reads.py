"""Reading one session note for display: its fields (risk ones marked), the client's earlier notes
in order, and its reviews. Called by `notes.open_note` after the opening is on record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backoffice.errors import NotFound
from backoffice.services.notes.risk import is_high_risk, is_self_harm
from backoffice.services.notes.tables import (
    bookings,
    note_session_at,
    note_therapist_name,
    notes,
    reviews,
    with_booking,
)
from backoffice.services.notes.types import EarlierNote, NoteDetail, NoteField, ReviewRow

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


def note_exists(db: Session, note_id: int) -> None:
    """NotFound unless the note exists and this login may read it (row security decides)."""
    found = db.execute(sa.select(notes.c.note_id).where(notes.c.note_id == note_id)).first()
    if found is None:
        raise NotFound(f"There is no session note {note_id} that you may read.")


def note_detail(
    db: Session, note_id: int, *, opened_at: dt.datetime, with_reviews: bool
) -> NoteDetail:
    row = db.execute(
        with_booking(
            sa.select(
                notes, bookings.c.invitee_id, bookings.c.booking_start_at, note_therapist_name()
            )
        ).where(notes.c.note_id == note_id)
    ).first()
    if row is None:
        raise NotFound(f"There is no session note {note_id} that you may read.")
    mention, level = row.self_harm_mention, row.current_risk_level
    return NoteDetail(
        note_id=row.note_id,
        booking_id=row.booking_id,
        client_name=row.client_name,
        therapist_name=row.therapist_name,
        session_at=row.booking_start_at,
        written_at=row.created_at,
        risk_level=level,
        self_harm=is_self_harm(mention),
        high_risk=is_high_risk(level, mention),
        fields=tuple(
            NoteField(name, label, _text(getattr(row, name)), risk) for name, label, risk in FIELDS
        ),
        earlier=_earlier(db, row),
        reviews=_reviews(db, note_id) if with_reviews else (),
        opened_at=opened_at,
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or None
    return str(value)


def _earlier(db: Session, note: Any) -> tuple[EarlierNote, ...]:
    """The same client's notes from before this one, oldest first: by client id when the note's
    booking names one, otherwise (an orphaned note) by the client's name."""
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
    query = query.where(notes.c.note_id != note.note_id).order_by(when, notes.c.note_id)
    if note.invitee_id is not None:
        query = query.where(bookings.c.invitee_id == note.invitee_id)
    else:
        query = query.where(notes.c.client_name == note.client_name)
    this_when = note.booking_start_at or note.created_at
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
