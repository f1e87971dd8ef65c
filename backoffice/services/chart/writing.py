"""Additional notes: what a therapist adds to one of their own sessions. Session notes themselves
stay read only (another program writes them)."""

from __future__ import annotations

import sqlalchemy as sa

from backoffice.db import UnitOfWork, raised_as
from backoffice.errors import BackofficeError, PermissionDenied, ValidationError
from backoffice.services.chart.types import AdditionalNoteResult
from backoffice.services.permissions import Actor, Permission, require

ADDITIONAL_NOTE_MAX_CHARS = 4000

_ADD = sa.text("SELECT note_id, created_at FROM backoffice.add_additional_note(:booking_id, :text)")
# SQLSTATE of the function's refusals -> the error its sentence is raised as
_ERRORS: dict[str, type[BackofficeError]] = {
    "42501": PermissionDenied,  # not a therapist, or not their session
    "22023": ValidationError,  # empty
    "22001": ValidationError,  # too long
}


def checked_note_text(text: str | None) -> str:
    """The note as it will be saved (trimmed), or ValidationError with the sentence to show. The
    database applies the same rule (`owner.provisioning.chart_functions`)."""
    trimmed = (text or "").strip()
    if not trimmed:
        raise ValidationError("The additional note is empty: write something first.")
    if len(trimmed) > ADDITIONAL_NOTE_MAX_CHARS:
        raise ValidationError(
            f"The additional note is too long: at most {ADDITIONAL_NOTE_MAX_CHARS:,} characters, "
            f"this one has {len(trimmed):,}."
        )
    return trimmed


def add_additional_note(
    uow: UnitOfWork, actor: Actor, *, booking_id: str, text: str
) -> AdditionalNoteResult:
    """Add a note to one of the therapist's own sessions, with their therapist id and name and the
    clinic's time (the database fills those in: nobody writes them for another therapist).

    Permission: WRITE_ADDITIONAL_NOTES; the database refuses a session that is not the login's.
    One transaction; audit event "additional_note.added" (written by the database function).
    Raises PermissionDenied, ValidationError (empty or over-long text).
    """
    require(actor, Permission.WRITE_ADDITIONAL_NOTES)
    note = checked_note_text(text)
    with raised_as(_ERRORS):
        row = uow.session.execute(_ADD, {"booking_id": booking_id, "text": note}).one()
    uow.commit()
    return AdditionalNoteResult(
        note_id=row.note_id, booking_id=booking_id, written_at=row.created_at
    )
