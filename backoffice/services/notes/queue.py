"""The session-note review queue: high risk and self-harm first, then unreviewed notes by age, then
sessions that ended more than 48 hours ago without a note ("notes due", per therapist).

Reads only. The queue shows who, when and the risk flags, never a note's content: reading a note
goes through `open_note`, which logs the opening first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ValidationError
from backoffice.models.backoffice import NoteReview
from backoffice.models.clinic_bookings import Booking
from backoffice.models.clinic_notes import SessionNote
from backoffice.models.clinic_people import Therapist
from backoffice.services.clock import clinic_timestamp
from backoffice.services.notes.types import NotesDueRow, QueueKind, QueueRow
from backoffice.services.orm_tables import table_of
from backoffice.services.permissions import Actor, Permission, require

notes = table_of(SessionNote)
bookings = table_of(Booking)
therapists = table_of(Therapist)
reviews = table_of(NoteReview)

NOTE_DEADLINE = dt.timedelta(hours=48)
RISK_FILTERS = ("high", "self_harm", "medium", "low")
HIGH_RISK_LEVELS = ("high", "severe", "critical", "imminent")
# What therapists write in `self_harm_mention` when there was none.
NO_MENTION = ("", "no", "none", "nil", "n/a", "na", "false", "denied", "not mentioned")
MAX_LIMIT = 2000


def self_harm(column: Any) -> Any:
    return sa.func.lower(sa.func.btrim(sa.func.coalesce(column, ""))).not_in(NO_MENTION)


def high_risk_level(column: Any) -> Any:
    return sa.func.lower(sa.func.btrim(sa.func.coalesce(column, ""))).in_(HIGH_RISK_LEVELS)


def is_self_harm(text: str | None) -> bool:
    return (text or "").strip().lower() not in NO_MENTION


def is_high_risk(level: str | None, mention: str | None) -> bool:
    return (level or "").strip().lower() in HIGH_RISK_LEVELS or is_self_harm(mention)


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
    reviewed notes only, None everything. `risk`: "high", "self_harm", "medium" or "low".
    Dates bound the session's day (inclusive). At most `limit` rows of each section.

    Permission: REVIEW_NOTES. Read only. Raises PermissionDenied, ValidationError (bad filter).
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
    return tuple(rows)


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
    risky = sa.or_(
        high_risk_level(notes.c.current_risk_level), self_harm(notes.c.self_harm_mention)
    )
    bucket = sa.case((latest.c.outcome.is_not(None), 3), (risky, 0), else_=1)
    session_at = sa.func.coalesce(bookings.c.booking_start_at, notes.c.created_at)
    query = (
        sa.select(
            bucket.label("bucket"),
            notes.c.note_id,
            notes.c.booking_id,
            bookings.c.therapist_id,
            sa.func.coalesce(therapists.c.name, notes.c.host_name).label("therapist_name"),
            notes.c.client_name,
            bookings.c.booking_start_at,
            notes.c.created_at,
            notes.c.current_risk_level,
            notes.c.self_harm_mention,
            latest.c.outcome,
        )
        .select_from(notes)
        .outerjoin(bookings, bookings.c.booking_id == notes.c.booking_id)
        .outerjoin(therapists, therapists.c.therapist_id == bookings.c.therapist_id)
        .outerjoin(latest, latest.c.note_id == notes.c.note_id)
        .order_by(bucket, notes.c.created_at, notes.c.note_id)
    )
    query = query.where(latest.c.outcome.is_not(None) if reviewed else latest.c.outcome.is_(None))
    if therapist_id is not None:
        query = query.where(bookings.c.therapist_id == therapist_id)
    if risk == "self_harm":
        query = query.where(self_harm(notes.c.self_harm_mention))
    elif risk == "high":
        query = query.where(high_risk_level(notes.c.current_risk_level))
    elif risk is not None:
        query = query.where(sa.func.lower(sa.func.btrim(notes.c.current_risk_level)) == risk)
    return _period(query, session_at, since, until)


def _due_query(
    therapist_id: str | None, since: dt.date | None, until: dt.date | None
) -> sa.Select[Any]:
    written = sa.select(notes.c.note_id).where(notes.c.booking_id == bookings.c.booking_id)
    overdue = sa.func.floor(
        sa.extract("epoch", clinic_timestamp() - bookings.c.booking_end_at) / 3600 - 48
    )
    query = (
        sa.select(
            bookings.c.booking_id,
            bookings.c.therapist_id,
            sa.func.coalesce(therapists.c.name, bookings.c.booking_host_name).label(
                "therapist_name"
            ),
            bookings.c.invitee_name,
            bookings.c.booking_start_at,
            bookings.c.booking_end_at.label("session_end"),
            overdue.label("overdue"),
        )
        .outerjoin(therapists, therapists.c.therapist_id == bookings.c.therapist_id)
        .where(
            sa.func.lower(bookings.c.booking_status) == "completed",
            bookings.c.booking_end_at < clinic_timestamp() - NOTE_DEADLINE,
            ~sa.exists(written),
        )
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
