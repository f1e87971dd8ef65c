"""The clinic tables the note workflows read, and the pieces of SQL they share: a note's booking
and therapist joined, the therapist's name, and when its session was.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from backoffice.models.backoffice import NoteReview
from backoffice.models.clinic_bookings import Booking
from backoffice.models.clinic_notes import SessionNote
from backoffice.models.clinic_people import Therapist
from backoffice.services.orm_tables import table_of

notes = table_of(SessionNote)
bookings = table_of(Booking)
therapists = table_of(Therapist)
reviews = table_of(NoteReview)


def with_booking(query: sa.Select[Any]) -> sa.Select[Any]:
    """The query's notes joined to their booking and its therapist (an orphaned note has neither)."""
    return with_therapist(query.outerjoin(bookings, bookings.c.booking_id == notes.c.booking_id))


def with_therapist(query: sa.Select[Any]) -> sa.Select[Any]:
    """The query's bookings joined to their therapist, if the therapist still exists."""
    return query.outerjoin(therapists, therapists.c.therapist_id == bookings.c.therapist_id)


def booking_therapist_name() -> Any:
    """The booking's therapist, else the host the booking names."""
    return sa.func.coalesce(therapists.c.name, bookings.c.booking_host_name).label("therapist_name")


def note_therapist_name() -> Any:
    """The booking's therapist, else the host the note names (for an orphaned note)."""
    return sa.func.coalesce(therapists.c.name, notes.c.host_name).label("therapist_name")


def note_session_at() -> Any:
    """When the note's session was: the booking's start, else when the note was written."""
    return sa.func.coalesce(bookings.c.booking_start_at, notes.c.created_at)


def has_a_note(booking_id: Any) -> Any:
    """SQL: the booking has a session note. It names a metadata column: `SELECT *` would ask for
    the content columns too, which no staff role may read."""
    return sa.exists(sa.select(notes.c.note_id).where(notes.c.booking_id == booking_id))
