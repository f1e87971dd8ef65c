"""The review queue's true size: how many lines each of its sections has in all, with the same
filters as `list_review_queue` (which lists at most `limit` of each)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ValidationError
from backoffice.services.notes.queue import _KINDS, RISK_FILTERS, _due_query, _note_query
from backoffice.services.notes.types import QueueCounts
from backoffice.services.permissions import Actor, Permission, require


def count_review_queue(
    uow: UnitOfWork,
    actor: Actor,
    *,
    therapist_id: str | None = None,
    risk: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    reviewed: bool | None = False,
) -> QueueCounts:
    """How many lines each section of the queue has in all, with the same filters as
    `list_review_queue` (which shows at most `limit` of each): the queue's true size.

    Permission: REVIEW_NOTES. Read only. Raises PermissionDenied, ValidationError (bad filter).
    """
    require(actor, Permission.REVIEW_NOTES)
    if risk is not None and risk not in RISK_FILTERS:
        raise ValidationError(f"The risk filter is one of {', '.join(RISK_FILTERS)}.")
    counts = {kind: 0 for kind in ("risk", "unreviewed", "due", "reviewed")}
    for done in (False, True):
        if reviewed is not None and reviewed is not done:
            continue
        notes_part = _note_query(therapist_id, risk, since, until, reviewed=done)
        counted = notes_part.order_by(None).subquery()
        query = sa.select(counted.c.bucket, sa.func.count()).group_by(counted.c.bucket)
        for bucket, n in uow.session.execute(query):
            counts[_KINDS[bucket]] = n
    if reviewed is not True and risk is None:
        due = _due_query(therapist_id, since, until).order_by(None).subquery()
        counts["due"] = uow.session.execute(
            sa.select(sa.func.count()).select_from(due)
        ).scalar_one()
    return QueueCounts(**counts)
