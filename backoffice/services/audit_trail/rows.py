"""The chain as stored: its head, its events in chain order (keyset batches), and each event's hash
recomputed here, in Python, from the columns as the database gives them.

The database computes the same hash on insert (`backoffice.audit_event_hash`, revision 0009); the
walk trusts no function of our schema, which the owner could replace, only PostgreSQL's built-ins
(the transaction's search_path is pg_catalog), and it reads one REPEATABLE READ snapshot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from backoffice.errors import ValidationError
from backoffice.services.audit import Executes
from backoffice.services.audit_trail.types import ChainHead, EventRef

GENESIS = bytes(32)  # what the first event follows
_UTC_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'
_UTC = "to_char(e.occurred_at AT TIME ZONE 'UTC', :utc_format)"

_BATCH = text(
    f"SELECT e.id, e.chain_seq, e.prev_hash, e.row_hash, {_UTC} AS utc, e.actor, e.action, "
    "e.subject_type, e.subject_id, CAST(e.details AS text) AS details "
    "FROM backoffice.audit_events e WHERE e.chain_seq > :after ORDER BY e.chain_seq LIMIT :limit"
)
_UNCHAINED = text(
    f"SELECT e.id, e.action, {_UTC} AS utc FROM backoffice.audit_events e "
    "WHERE e.chain_seq IS NULL OR e.prev_hash IS NULL OR e.row_hash IS NULL "
    "ORDER BY e.id LIMIT 1"
)
_HEAD = text(
    "SELECT h.last_seq, h.last_hash, h.last_event_id, h.last_occurred_at "
    "FROM backoffice.audit_chain h"
)
NOT_CHAINED = (
    "The audit trail of this database is not chained yet: run `backoffice db upgrade` first."
)


@dataclass(frozen=True)
class StoredEvent:
    """One row of `audit_events` with the text of every field its hash covers."""

    event_id: int
    seq: int
    prev_hash: bytes
    row_hash: bytes
    utc: str | None
    actor: str | None
    action: str | None
    subject_type: str | None
    subject_id: str | None
    details: str | None

    def recomputed_hash(self) -> bytes:
        fields = (str(self.seq), str(self.event_id), self.utc, self.actor, self.action)
        return event_hash(
            self.prev_hash, [*fields, self.subject_type, self.subject_id, self.details]
        )

    def ref(self) -> EventRef:
        return EventRef(self.event_id, self.action, utc_moment(self.utc))


def event_hash(prev_hash: bytes, fields: Sequence[str | None]) -> bytes:
    """SHA-256 over the previous hash and each field: 0x00 for NULL, otherwise 0x01, its UTF-8
    length in four bytes big-endian and its UTF-8 bytes (no field can run into the next)."""
    digest = hashlib.sha256(prev_hash)
    for field in fields:
        if field is None:
            digest.update(b"\x00")
            continue
        data = field.encode("utf-8")
        digest.update(b"\x01" + len(data).to_bytes(4, "big") + data)
    return digest.digest()


def utc_moment(value: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value or "")
    except ValueError:
        return None  # an edited time PostgreSQL writes otherwise (infinity): the event still counts


def begin_walk(db: Executes) -> None:
    """Only PostgreSQL's own functions and operators, for the rest of this transaction."""
    db.execute(text("SET LOCAL search_path = pg_catalog, pg_temp"))


def read_head(db: Executes) -> ChainHead:
    """The chain's head as the database keeps it; ValidationError before revision 0009."""
    try:
        row = db.execute(_HEAD).first()
    except ProgrammingError as error:
        if getattr(error.orig, "sqlstate", None) == "42P01":  # no such table
            raise ValidationError(NOT_CHAINED) from None
        raise
    if row is None:
        raise ValidationError(
            "The audit trail's head (backoffice.audit_chain) is gone: the chain was tampered with."
        )
    last = None
    if row.last_event_id is not None:
        last = EventRef(int(row.last_event_id), None, row.last_occurred_at)
    return ChainHead(length=int(row.last_seq), last_hash=bytes(row.last_hash), last_event=last)


def read_batch(db: Executes, after: int, limit: int) -> list[StoredEvent]:
    """The next `limit` events after chain place `after`, in chain order."""
    rows = db.execute(_BATCH, {"after": after, "limit": limit, "utc_format": _UTC_FORMAT})
    return [_stored(row) for row in rows]


def first_unchained(db: Executes) -> EventRef | None:
    """The first event with no place in the chain (only once its NOT NULL was dropped)."""
    row = db.execute(_UNCHAINED, {"utc_format": _UTC_FORMAT}).first()
    return None if row is None else EventRef(row.id, row.action, utc_moment(row.utc))


def _stored(row: Any) -> StoredEvent:
    return StoredEvent(
        event_id=int(row.id),
        seq=int(row.chain_seq),
        prev_hash=bytes(row.prev_hash),
        row_hash=bytes(row.row_hash),
        utc=row.utc,
        actor=row.actor,
        action=row.action,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        details=row.details,
    )
