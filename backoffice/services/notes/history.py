"""A client's sessions as this login may see them, through `backoffice.client_sessions`: an admin
every session, a therapist their own and, after a transfer that shared the history, the earlier
ones too. Each with its note's metadata (never its content) and whether the note is due."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from backoffice.db import UnitOfWork
from backoffice.services.notes.queue import note_due
from backoffice.services.notes.risk import is_high_risk, is_self_harm
from backoffice.services.notes.types import ClientSession
from backoffice.services.permissions import Actor, Permission, require

_COLUMNS = (
    sa.column("client_id", sa.Text),
    sa.column("client_name", sa.Text),
    sa.column("booking_id", sa.Text),
    sa.column("starts_at", sa.DateTime),
    sa.column("ends_at", sa.DateTime),
    sa.column("status", sa.Text),
    sa.column("mode", sa.Text),
    sa.column("therapist_id", sa.Text),
    sa.column("therapist_name", sa.Text),
    sa.column("note_id", sa.Integer),
    sa.column("note_written_at", sa.DateTime),
    sa.column("risk_level", sa.Text),
    sa.column("self_harm_mention", sa.Text),
)


def list_client_sessions(
    uow: UnitOfWork, actor: Actor, *, client_ids: Iterable[str]
) -> tuple[ClientSession, ...]:
    """The sessions of these clients that this login may see, by client, oldest first.

    Permission: READ_NOTES (the database narrows a therapist to their caseload and the histories
    shared with them). Read only. Raises PermissionDenied.
    """
    require(actor, Permission.READ_NOTES)
    return client_sessions(uow.session, client_ids)


def client_sessions(db: Session, client_ids: Iterable[str]) -> tuple[ClientSession, ...]:
    ids = sorted({str(c) for c in client_ids if c})
    if not ids:
        return ()
    sessions = sa.func.backoffice.client_sessions(
        sa.cast(sa.literal(ids, sa.ARRAY(sa.Text)), sa.ARRAY(sa.Text))
    )
    table = sessions.table_valued(*_COLUMNS).alias("s")
    due = note_due(table.c.status, table.c.ends_at, table.c.note_id.is_not(None))
    query = sa.select(table, due.label("note_due")).order_by(
        table.c.client_id, table.c.starts_at.nulls_last(), table.c.booking_id
    )
    return tuple(_session(row) for row in db.execute(query))


def _session(row: Any) -> ClientSession:
    mention = row.self_harm_mention
    has_note = row.note_id is not None
    return ClientSession(
        client_id=row.client_id,
        client_name=row.client_name,
        booking_id=row.booking_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        status=row.status,
        mode=row.mode,
        therapist_id=row.therapist_id,
        therapist_name=row.therapist_name,
        note_id=row.note_id,
        note_written_at=row.note_written_at,
        risk_level=row.risk_level,
        self_harm=has_note and is_self_harm(mention),
        high_risk=has_note and is_high_risk(row.risk_level, mention),
        note_due=bool(row.note_due),
    )
