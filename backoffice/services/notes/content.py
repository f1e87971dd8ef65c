"""A note's content, read the only way the database allows: the opening committed first, then the
content through `backoffice.read_opened_notes` (`owner.provisioning.note_reads` says why that holds
against raw SQL too). Internal to `services.notes`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backoffice.db import UnitOfWork, raised_as
from backoffice.errors import (
    BackofficeError,
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from backoffice.services.clock import AT_CLINIC_ZONE
from backoffice.services.notes.types import Opening

# The opening's time as the clinic's wall clock, like every time the back-office shows.
_RECORD = sa.text(
    f"SELECT batch_id, CAST(opened_at {AT_CLINIC_ZONE} AS timestamp) AS opened_at "
    "FROM backoffice.record_note_opening(CAST(:note_ids AS integer[]), :purpose)"
)
_READ = sa.text("SELECT * FROM backoffice.read_opened_notes(:batch_id)")
_WROTE = sa.text("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")
_PHRASES = sa.text(
    "SELECT note_id, phrase FROM backoffice.read_opened_risk_phrases(:batch_id) "
    "ORDER BY note_id, field, start_at"
)

# SQLSTATE -> the error the function's own sentence is raised as
_ERRORS: dict[str, type[BackofficeError]] = {
    "P0002": NotFound,  # no such note, or not one this login may read
    "22023": ValidationError,  # no note named, or an unknown purpose
    "55000": ConflictError,  # no committed opening, or the reading transaction wrote something
    "42501": PermissionDenied,  # risk phrases are for admins
}


def record_opening(uow: UnitOfWork, note_ids: Iterable[int], *, purpose: str = "read") -> Opening:
    """Commit the opening on a connection of its own, as the same login, before anything is read:
    the record stays whatever happens to the caller's transaction.

    Done before the caller's transaction asks for its connection, so that the two never hold one
    each at once: a login with one connection left (its window's pool, or a pooler at its limit)
    would otherwise wait for itself.
    """
    ids = tuple(sorted({int(i) for i in note_ids}))
    with raised_as(_ERRORS), UnitOfWork(uow.session.get_bind().engine) as own:
        row = own.session.execute(_RECORD, {"note_ids": list(ids), "purpose": purpose}).one()
        own.commit()
    return Opening(batch_id=row.batch_id, opened_at=row.opened_at, note_ids=ids)


def read_opened(db: Session, opening: Opening) -> list[Any]:
    """The opened notes' rows (content included), by note id. The caller's transaction must have
    written nothing, and must have taken no REPEATABLE READ snapshot before the opening."""
    with raised_as(_ERRORS):
        return list(db.execute(_READ, {"batch_id": opening.batch_id}))


def read_risk_phrases(uow: UnitOfWork, note_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The risk phrases the scan stored for these notes, by note: put on record first (one
    opening batch, purpose 'phrases', one audit event), then read in a transaction of its own
    that writes nothing, so that it works from inside any caller's transaction (a report's
    REPEATABLE READ snapshot would not see the opening). Admins only.

    Empty when the caller's transaction has written already: its audit event holds the audit
    chain until it commits, so the opening's own event would wait for it (the queue then says
    "Risk language in the text" without the phrases)."""
    ids = sorted({int(i) for i in note_ids})
    if not ids or uow.session.execute(_WROTE).scalar():
        return {}
    opening = record_opening(uow, ids, purpose="phrases")
    found: dict[int, list[str]] = {}
    with raised_as(_ERRORS), UnitOfWork(uow.session.get_bind().engine) as own:
        for row in own.session.execute(_PHRASES, {"batch_id": opening.batch_id}):
            found.setdefault(row.note_id, []).append(row.phrase)
    return {note_id: tuple(phrases) for note_id, phrases in found.items()}
