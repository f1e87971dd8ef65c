"""The session-note review queue: high risk and self-harm first, then unreviewed notes by age, then
sessions that ended more than 48 hours ago without a note ("notes due", per therapist).

Reads only. The queue shows who, when and the risk flags, never a note's content: reading a note
goes through `open_note`, which logs the opening first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ValidationError
from backoffice.services.clock import clinic_timestamp
from backoffice.services.notes.content import read_risk_phrases
from backoffice.services.notes.risk import (
    high_risk_level,
    is_self_harm,
    needs_risk_review,
    self_harm,
    text_flagged,
)
from backoffice.services.notes.tables import (
    booking_therapist_name,
    bookings,
    has_a_note,
    note_session_at,
    note_therapist_name,
    notes,
    reviews,
    with_booking,
    with_therapist,
)
from backoffice.services.notes.types import NotesDueRow, QueueKind, QueueRow
from backoffice.services.permissions import Actor, Permission, require, require_therapist

NOTE_DEADLINE = dt.timedelta(hours=48)
RISK_FILTERS = ("high", "self_harm", "text", "medium", "low")
MAX_LIMIT = 2000


def list_review_queue(
    uow: UnitOfWork,
    actor: Actor,
    *,
    therapist_id: str | None = None,
    risk: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    reviewed: bool | None = False,
    limit: int = 200,
) -> tuple[QueueRow, ...]:
    """The queue in review order. `reviewed`: False (default) what still needs a reviewer, True
    reviewed notes only, None everything. `risk`: "high", "self_harm", "text" (risk language
    found in the text), "medium" or "low". Dates bound the session's day (inclusive). At most
    `limit` rows of each section. The top section holds high risk levels, self-harm mentions and
    notes whose text the risk scan flagged, each row with its `risk_reason`.

    Permission: REVIEW_NOTES. Reads; the risk phrases shown are put on record first (one opening
    batch, purpose 'phrases', audit event "notes.opened", committed on a connection of its own).
    Raises PermissionDenied, ValidationError (bad filter).
    """
    require(actor, Permission.REVIEW_NOTES)
    if risk is not None and risk not in RISK_FILTERS:
        raise ValidationError(f"The risk filter is one of {', '.join(RISK_FILTERS)}.")
    if since and until and since > until:
        raise ValidationError("The first day of the period comes after its last day.")
    limit = max(1, min(limit, MAX_LIMIT))
    sections = []
    if reviewed is not True:
        sections.append((_note_query(therapist_id, risk, since, until, reviewed=False), _note_row))
        if risk is None:  # a session without a note has no risk to filter on
            sections.append((_due_query(therapist_id, since, until), _due_row))
    if reviewed is not False:
        sections.append((_note_query(therapist_id, risk, since, until, reviewed=True), _note_row))
    rows: list[QueueRow] = []
    for query, convert in sections:  # each section bounded, so a long backlog hides no due note
        rows.extend(convert(row) for row in uow.session.execute(query.limit(limit)))
    return _with_phrases(uow, tuple(rows))


def _with_phrases(uow: UnitOfWork, rows: tuple[QueueRow, ...]) -> tuple[QueueRow, ...]:
    """The risk phrases of the text-flagged rows, read on record (one batch for the queue)."""
    flagged = [r.note_id for r in rows if r.text_risk and r.note_id is not None]
    if not flagged:
        return rows
    phrases = read_risk_phrases(uow, flagged)
    return tuple(
        replace(r, risk_phrases=phrases.get(r.note_id or 0, ())) if r.text_risk else r for r in rows
    )


def list_notes_due(uow: UnitOfWork, actor: Actor) -> tuple[NotesDueRow, ...]:
    """Per therapist, how many completed sessions have had no note for over 48 hours.

    Permission: REVIEW_NOTES. Read only. Raises PermissionDenied.
    """
    require(actor, Permission.REVIEW_NOTES)
    due = _due_query(None, None, None).subquery()
    query = (
        sa.select(
            due.c.therapist_id,
            due.c.therapist_name,
            sa.func.count(),
            sa.func.min(due.c.session_end),
        )
        .group_by(due.c.therapist_id, due.c.therapist_name)
        .order_by(sa.func.count().desc(), due.c.therapist_name)
    )
    return tuple(NotesDueRow(*row) for row in uow.session.execute(query))


def list_my_notes_due(uow: UnitOfWork, actor: Actor) -> tuple[QueueRow, ...]:
    """The signed-in therapist's completed sessions still without a note 48 hours after they
    ended, oldest first.

    Permission: READ_NOTES (row security narrows them to the therapist's own). Read only.
    Raises PermissionDenied; NotFound for a login linked to no therapist.
    """
    require(actor, Permission.READ_NOTES)
    query = _due_query(require_therapist(actor), None, None)
    return tuple(_due_row(row) for row in uow.session.execute(query))


def _latest_reviews() -> Any:
    """Each reviewed note's latest review."""
    latest_ids = sa.select(sa.func.max(reviews.c.id)).group_by(reviews.c.note_id)
    return (
        sa.select(reviews.c.note_id, reviews.c.outcome)
        .where(reviews.c.id.in_(latest_ids))
        .subquery("latest_review")
    )


def _note_query(
    therapist_id: str | None,
    risk: str | None,
    since: dt.date | None,
    until: dt.date | None,
    *,
    reviewed: bool,
) -> sa.Select[Any]:
    latest = _latest_reviews()
    risky = needs_risk_review(
        notes.c.current_risk_level, notes.c.self_harm_mention, notes.c.note_id
    )
    # Sections in review order: risky notes, then the other unreviewed ones, then reviewed ones.
    bucket = sa.case((latest.c.outcome.is_not(None), 3), (risky, 0), else_=1)
    query = (
        with_booking(sa.select(*_note_columns(bucket, latest)).select_from(notes))
        .outerjoin(latest, latest.c.note_id == notes.c.note_id)
        .order_by(bucket, notes.c.created_at, notes.c.note_id)
    )
    query = query.where(latest.c.outcome.is_not(None) if reviewed else latest.c.outcome.is_(None))
    if therapist_id is not None:
        query = query.where(bookings.c.therapist_id == therapist_id)
    return _period(_risk_filter(query, risk), note_session_at(), since, until)


def _note_columns(bucket: Any, latest: Any) -> tuple[Any, ...]:
    return (
        bucket.label("bucket"),
        notes.c.note_id,
        notes.c.booking_id,
        bookings.c.therapist_id,
        note_therapist_name(),
        notes.c.client_name,
        bookings.c.booking_start_at,
        notes.c.created_at,
        notes.c.current_risk_level,
        notes.c.self_harm_mention,
        latest.c.outcome,
        text_flagged(notes.c.note_id).label("text_risk"),
    )


def _risk_filter(query: sa.Select[Any], risk: str | None) -> sa.Select[Any]:
    if risk == "self_harm":
        return query.where(self_harm(notes.c.self_harm_mention))
    if risk == "high":
        return query.where(high_risk_level(notes.c.current_risk_level))
    if risk == "text":
        return query.where(text_flagged(notes.c.note_id))
    if risk is not None:
        return query.where(sa.func.lower(sa.func.btrim(notes.c.current_risk_level)) == risk)
    return query


def note_due(status: Any, ended_at: Any, has_note: Any) -> Any:
    """SQL: a completed session that ended more than 48 hours ago and still has no note."""
    return sa.and_(
        sa.func.lower(status) == "completed",
        ended_at < clinic_timestamp() - NOTE_DEADLINE,
        sa.not_(has_note),
    )


def _due_query(
    therapist_id: str | None, since: dt.date | None, until: dt.date | None
) -> sa.Select[Any]:
    written = has_a_note(bookings.c.booking_id)
    since_end = sa.extract("epoch", clinic_timestamp() - bookings.c.booking_end_at) / 3600
    overdue = sa.func.floor(since_end - NOTE_DEADLINE // dt.timedelta(hours=1))
    query = (
        with_therapist(
            sa.select(
                bookings.c.booking_id,
                bookings.c.therapist_id,
                booking_therapist_name(),
                bookings.c.invitee_name,
                bookings.c.booking_start_at,
                bookings.c.booking_end_at.label("session_end"),
                overdue.label("overdue"),
            )
        )
        .where(note_due(bookings.c.booking_status, bookings.c.booking_end_at, written))
        .order_by(sa.literal_column("therapist_name"), bookings.c.booking_end_at)
    )
    if therapist_id is not None:
        query = query.where(bookings.c.therapist_id == therapist_id)
    return _period(query, bookings.c.booking_start_at, since, until)


def _period(
    query: sa.Select[Any], column: Any, since: dt.date | None, until: dt.date | None
) -> sa.Select[Any]:
    if since is not None:
        query = query.where(column >= dt.datetime.combine(since, dt.time.min))
    if until is not None:
        query = query.where(column < dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    return query


_KINDS: dict[int, QueueKind] = {0: "risk", 1: "unreviewed", 3: "reviewed"}


def _note_row(row: Any) -> QueueRow:
    return QueueRow(
        kind=_KINDS[row.bucket],
        note_id=row.note_id,
        booking_id=row.booking_id,
        therapist_id=row.therapist_id,
        therapist_name=row.therapist_name,
        client_name=row.client_name,
        session_at=row.booking_start_at,
        written_at=row.created_at,
        risk_level=row.current_risk_level,
        self_harm=is_self_harm(row.self_harm_mention),
        outcome=row.outcome,
        hours_overdue=None,
        text_risk=bool(row.text_risk),
    )


def _due_row(row: Any) -> QueueRow:
    return QueueRow(
        kind="due",
        note_id=None,
        booking_id=row.booking_id,
        therapist_id=row.therapist_id,
        therapist_name=row.therapist_name,
        client_name=row.invitee_name,
        session_at=row.booking_start_at,
        written_at=None,
        risk_level=None,
        self_harm=False,
        outcome=None,
        hours_overdue=int(row.overdue) if row.overdue is not None else None,
    )
