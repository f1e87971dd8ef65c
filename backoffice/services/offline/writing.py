"""Writing a snapshot into a new encrypted file: every row in one SQLite transaction, the
write-ahead log folded back in, the file synced to disk before anything points at it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from backoffice.services.offline.schema import FORMAT, create_tables, when, write_meta
from backoffice.services.offline.snapshot import Snapshot
from backoffice.services.offline.store import fsync_file, open_encrypted, remove_database
from backoffice.services.offline.types import Draft


def write_file(path: Path, key: bytes, snapshot: Snapshot, drafts: Sequence[Draft]) -> None:
    """A new copy file at `path` holding `snapshot` and the drafts carried over; nothing is left
    at `path` if it fails."""
    try:
        conn = open_encrypted(path, key, create=True)
        try:
            with conn:
                create_tables(conn)
                _fill(conn, snapshot, drafts)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        fsync_file(path)
    except BaseException:
        remove_database(path)
        raise


def _fill(conn: Any, snapshot: Snapshot, drafts: Sequence[Draft]) -> None:
    write_meta(conn, _meta(snapshot))
    conn.executemany(
        "INSERT INTO clients VALUES (?, ?, ?, ?, ?, ?)",
        [
            (c.client_id, c.client_name, c.phone, c.email, c.therapist_id, c.therapist_name)
            for c in snapshot.clients
        ],
    )
    conn.executemany(
        "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_session(s) for s in snapshot.sessions],
    )
    conn.executemany(
        "INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_note(n) for n in snapshot.notes],
    )
    _fill_notes_of_sessions(conn, snapshot)
    insert_drafts(conn, drafts)


def _meta(snapshot: Snapshot) -> dict[str, str]:
    """Who the copy is for, when it was taken and until when it may be read (in the file, where
    nobody can change them without the key)."""
    actor = snapshot.actor
    return {
        "format": str(FORMAT),
        "login": actor.login_role,
        "display_name": actor.display_name,
        "therapist_id": actor.therapist_id or "",
        "user_id": "" if actor.user_id is None else str(actor.user_id),
        "taken_at": snapshot.taken_at.isoformat(),
        "taken_utc": snapshot.taken_utc.isoformat(),
        "expires_utc": snapshot.expires_utc.isoformat(),
        "latest_seen_utc": snapshot.taken_utc.isoformat(),
        "left_out": str(snapshot.left_out),
    }


def _fill_notes_of_sessions(conn: Any, snapshot: Snapshot) -> None:
    conn.executemany(
        "INSERT INTO additional_notes VALUES (?, ?, ?, ?, ?, ?)",
        [
            (n.note_id, n.booking_id, n.therapist_id, n.therapist_name, n.text, when(n.written_at))
            for n in snapshot.additional
        ],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO transfers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                client_id,
                t.transfer_id,
                when(t.transferred_at),
                t.from_therapist_id,
                t.from_therapist,
                t.to_therapist_id,
                t.to_therapist,
                t.reason,
            )
            for client_id, t in snapshot.transfers
        ],
    )


def insert_drafts(conn: Any, drafts: Sequence[Draft]) -> None:
    conn.executemany(
        "INSERT INTO drafts (draft_id, booking_id, client_id, text, written_at, edited_at, state, "
        "note_id, server_text, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                d.draft_id,
                d.booking_id,
                d.client_id,
                d.text,
                when(d.written_at),
                when(d.edited_at),
                d.state,
                d.note_id,
                d.server_text,
                d.message,
            )
            for d in drafts
        ],
    )


def _session(s: Any) -> tuple[Any, ...]:
    return (
        s.client_id,
        s.booking_id,
        s.client_name,
        when(s.starts_at),
        when(s.ends_at),
        s.status,
        s.mode,
        s.therapist_id,
        s.therapist_name,
        s.note_id,
        when(s.note_written_at),
        s.risk_level,
        int(s.self_harm),
        int(s.high_risk),
        int(s.note_due),
    )


def _note(n: Any) -> tuple[Any, ...]:
    fields = [[f.name, f.label, f.value, f.risk] for f in n.fields]
    return (
        n.note_id,
        n.booking_id,
        n.client_id,
        n.therapist_id,
        n.client_name,
        n.therapist_name,
        when(n.session_at),
        when(n.written_at),
        n.risk_level,
        int(n.self_harm),
        int(n.high_risk),
        json.dumps(fields),
        when(n.opened_at),
    )
