"""Session-note review: the risk-first queue, opening a note (on record before it is shown), the
reviewer's verdict, and repairing notes whose booking does not exist.

Notes themselves are never edited here; the one change the back-office makes to a note is linking
an orphaned one to its booking. Finance can reach none of it: the permission matrix refuses first,
and PostgreSQL grants finance nothing on any note table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError, NotFound, ValidationError
from backoffice.models.backoffice import REVIEW_OUTCOMES
from backoffice.services import audit
from backoffice.services.notes.content import read_opened, record_opening
from backoffice.services.notes.reads import note_detail
from backoffice.services.notes.risk import needs_risk_review
from backoffice.services.notes.tables import (
    booking_therapist_name,
    bookings,
    has_a_note,
    notes,
    reviews,
    with_therapist,
)
from backoffice.services.notes.types import (
    LinkCandidate,
    LinkResult,
    NoteDetail,
    OrphanNoteRow,
    ReviewResult,
)
from backoffice.services.permissions import Actor, Permission, require

P = Permission
MAX_COMMENT = 4000


def open_note(
    uow: UnitOfWork, actor: Actor, *, note_id: int, with_earlier: bool = True
) -> NoteDetail:
    """A session note to show, read only, with the client's earlier notes in order (unless
    `with_earlier` is False: a chart shows them on its timeline already).

    Who opened it and when is committed in a transaction of its own *before* the note is read (the
    database gives the content to nobody otherwise), so the record stays even if the caller's
    transaction rolls back or the screen never shows it. The caller's unit of work must not have
    written anything. Permission: READ_NOTES (the database narrows a therapist to their caseload
    and the histories shared with them). Own committed transaction with audit event
    "note.opened"; then a read in the caller's unit of work.
    Raises PermissionDenied, NotFound (no such note, or not one this login may read).
    """
    require(actor, P.READ_NOTES)
    opening = record_opening(uow, [note_id])
    rows = read_opened(uow.session, opening)
    if not rows:  # the caseload changed between the opening and the read
        raise NotFound(f"There is no session note {note_id} that you may read.")
    return note_detail(
        uow.session,
        rows[0],
        opened_at=opening.opened_at,
        with_reviews=actor.may(P.REVIEW_NOTES),
        with_earlier=with_earlier,
    )


def open_notes(
    uow: UnitOfWork, actor: Actor, *, note_ids: Iterable[int], purpose: str = "checkout"
) -> tuple[NoteDetail, ...]:
    """Many notes at once (a caseload taken offline), in note id order, without earlier notes or
    reviews: one opening batch, one audit event listing them, committed before any is read.

    Start the caller's unit of work afresh for it: a REPEATABLE READ snapshot taken before the
    opening would not see it. Permission: READ_NOTES. Own committed transaction with audit event
    "caseload.checked_out" for a checkout (else "notes.opened", or "note.opened" for one note);
    then a read in the caller's unit of work.
    Raises PermissionDenied, NotFound (a note this login may not read: nothing is opened),
    ValidationError (no note named).
    """
    require(actor, P.READ_NOTES)
    opening = record_opening(uow, note_ids, purpose=purpose)
    return tuple(
        note_detail(
            uow.session, row, opened_at=opening.opened_at, with_reviews=False, with_earlier=False
        )
        for row in read_opened(uow.session, opening)
    )


def review_note(
    uow: UnitOfWork, actor: Actor, *, note_id: int, outcome: str, comment: str | None = None
) -> ReviewResult:
    """Mark a note reviewed: no_action, follow_up (with the therapist), safety_plan or escalated.

    A high-risk note (high risk level, a self-harm mention, risk language found in its text) is
    not closed with "no_action" unless the comment says why. Permission: REVIEW_NOTES. One transaction; audit event
    "note.reviewed". Raises PermissionDenied, NotFound, ValidationError (outcome, comment).
    """
    require(actor, P.REVIEW_NOTES)
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationError(f"The outcome is one of {', '.join(REVIEW_OUTCOMES)}.")
    text = _comment(comment)
    high_risk = _note_is_high_risk(uow, note_id)
    if high_risk and outcome == "no_action" and text is None:
        raise ValidationError(
            "This note records a high risk, a self-harm mention or risk language in its text: "
            "to mark it 'no action', say in the comment why no action is needed."
        )
    row = uow.session.execute(
        sa.insert(reviews).values(note_id=note_id, outcome=outcome, comment=text).returning(reviews)
    ).one()
    audit.record(
        uow,
        "note.reviewed",
        subject_type="session_note",
        subject_id=note_id,
        details={"outcome": outcome, "high_risk": high_risk, "commented": bool(text)},
    )
    uow.commit()
    return ReviewResult(
        row.id, row.note_id, row.reviewer, row.reviewed_at, row.outcome, row.comment
    )


def _comment(comment: str | None) -> str | None:
    """The reviewer's comment, trimmed (None when blank), within the length a comment may have."""
    text = (comment or "").strip() or None
    if text is not None and len(text) > MAX_COMMENT:
        raise ValidationError(f"The comment is too long: at most {MAX_COMMENT} characters.")
    return text


def _note_is_high_risk(uow: UnitOfWork, note_id: int) -> bool:
    """A high risk level, a self-harm mention, or risk language the scan found in its text."""
    risky = needs_risk_review(
        notes.c.current_risk_level, notes.c.self_harm_mention, notes.c.note_id
    )
    note = uow.session.execute(sa.select(risky).where(notes.c.note_id == note_id)).first()
    if note is None:
        raise NotFound(f"There is no session note {note_id}.")
    return bool(note[0])


def list_orphaned_notes(uow: UnitOfWork, actor: Actor) -> tuple[OrphanNoteRow, ...]:
    """Session notes whose booking does not exist (the clinic's table has no foreign key).

    Permission: VIEW_DATA_QUALITY. Read only. Raises PermissionDenied.
    """
    require(actor, P.VIEW_DATA_QUALITY)
    has_booking = sa.exists().where(bookings.c.booking_id == notes.c.booking_id)
    rows = uow.session.execute(
        sa.select(
            notes.c.note_id,
            notes.c.booking_id,
            notes.c.client_name,
            notes.c.host_name,
            notes.c.session_timing,
            notes.c.created_at,
        )
        .where(~has_booking)
        .order_by(notes.c.note_id)
    )
    return tuple(OrphanNoteRow(*row) for row in rows)


def list_link_candidates(
    uow: UnitOfWork, actor: Actor, *, note_id: int, limit: int = 20
) -> tuple[LinkCandidate, ...]:
    """Bookings an orphaned note may belong to: the client's name, no note yet, nearest in time.

    Permission: VIEW_DATA_QUALITY. Read only. Raises PermissionDenied, NotFound.
    """
    require(actor, P.VIEW_DATA_QUALITY)
    note = _note(uow, note_id)
    written = sa.literal(note.created_at or dt.datetime.now(), sa.DateTime)
    has_note = has_a_note(bookings.c.booking_id)
    query = with_therapist(
        sa.select(
            bookings.c.booking_id,
            bookings.c.invitee_name,
            booking_therapist_name(),
            bookings.c.booking_start_at,
            bookings.c.booking_status,
        )
    )
    rows = uow.session.execute(
        query.where(
            sa.func.lower(bookings.c.invitee_name) == (note.client_name or "").lower(),
            bookings.c.booking_id.is_not(None),
            ~has_note,
        )
        .order_by(sa.func.abs(sa.extract("epoch", bookings.c.booking_start_at - written)))
        .limit(limit)
    )
    return tuple(LinkCandidate(*row) for row in rows)


def link_orphaned_note(
    uow: UnitOfWork, actor: Actor, *, note_id: int, booking_id: str
) -> LinkResult:
    """Point an orphaned note at the booking it belongs to (the one field ever changed on a note).

    Permission: VIEW_DATA_QUALITY. One transaction (the note row locked); audit event
    "note.linked" with the old and new booking. Raises PermissionDenied, NotFound (note or
    booking), ConflictError (the note is not orphaned, or the booking has a note already).
    """
    require(actor, P.VIEW_DATA_QUALITY)
    booking_id = (booking_id or "").strip()
    note = _note(uow, note_id, lock=True)
    db = uow.session
    if note.booking_id is not None and _booking_exists(uow, note.booking_id):
        raise ConflictError(f"Note {note_id} already belongs to booking {note.booking_id}.")
    if not booking_id or not _booking_exists(uow, booking_id):
        raise NotFound(f"There is no booking {booking_id or '(empty)'}.")
    taken = db.execute(sa.select(notes.c.note_id).where(notes.c.booking_id == booking_id)).first()
    if taken is not None:
        raise ConflictError(f"Booking {booking_id} already has a note (note {taken.note_id}).")
    db.execute(sa.update(notes).where(notes.c.note_id == note_id).values(booking_id=booking_id))
    audit.record(
        uow,
        "note.linked",
        subject_type="session_note",
        subject_id=note_id,
        details={"old_booking_id": note.booking_id, "booking_id": booking_id},
    )
    uow.commit()
    return LinkResult(note_id, note.booking_id, booking_id)


def _note(uow: UnitOfWork, note_id: int, *, lock: bool = False) -> Any:
    query = sa.select(
        notes.c.note_id, notes.c.booking_id, notes.c.client_name, notes.c.created_at
    ).where(notes.c.note_id == note_id)
    row = uow.session.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound(f"There is no session note {note_id}.")
    return row


def _booking_exists(uow: UnitOfWork, booking_id: str) -> bool:
    found = uow.session.execute(
        sa.select(bookings.c.booking_id).where(bookings.c.booking_id == booking_id)
    ).first()
    return found is not None
