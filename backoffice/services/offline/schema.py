"""The tables of an offline copy (SQLite), and how times go in and out of them.

Times are ISO 8601 text: the clinic's wall-clock times naive, as the clinic's tables hold them;
the copy's own bookkeeping (taken, expires, latest seen) in UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

FORMAT = 1

TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE clients (
    client_id TEXT PRIMARY KEY, client_name TEXT, phone TEXT, email TEXT,
    therapist_id TEXT, therapist_name TEXT);
CREATE TABLE sessions (
    client_id TEXT NOT NULL, booking_id TEXT NOT NULL, client_name TEXT, starts_at TEXT,
    ends_at TEXT, status TEXT, mode TEXT, therapist_id TEXT, therapist_name TEXT,
    note_id INTEGER, note_written_at TEXT, risk_level TEXT, self_harm INTEGER NOT NULL,
    high_risk INTEGER NOT NULL, note_due INTEGER NOT NULL,
    PRIMARY KEY (client_id, booking_id));
CREATE INDEX sessions_by_booking ON sessions (booking_id);
CREATE INDEX sessions_by_note ON sessions (note_id);
CREATE TABLE notes (
    note_id INTEGER PRIMARY KEY, booking_id TEXT, client_id TEXT, therapist_id TEXT,
    client_name TEXT, therapist_name TEXT, session_at TEXT, written_at TEXT, risk_level TEXT,
    self_harm INTEGER NOT NULL, high_risk INTEGER NOT NULL, fields TEXT NOT NULL,
    opened_at TEXT NOT NULL);
CREATE TABLE additional_notes (
    note_id INTEGER PRIMARY KEY, booking_id TEXT NOT NULL, therapist_id TEXT,
    therapist_name TEXT, text TEXT NOT NULL, written_at TEXT);
CREATE INDEX additional_notes_by_booking ON additional_notes (booking_id);
CREATE TABLE transfers (
    client_id TEXT NOT NULL, transfer_id INTEGER NOT NULL, transferred_at TEXT,
    from_therapist_id TEXT, from_therapist TEXT, to_therapist_id TEXT NOT NULL,
    to_therapist TEXT NOT NULL, reason TEXT, PRIMARY KEY (client_id, transfer_id));
CREATE TABLE drafts (
    draft_id TEXT PRIMARY KEY, booking_id TEXT NOT NULL, client_id TEXT NOT NULL,
    text TEXT NOT NULL, written_at TEXT NOT NULL, edited_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'uploaded', 'kept', 'conflict')),
    note_id INTEGER, server_text TEXT, message TEXT);
CREATE INDEX drafts_by_client ON drafts (client_id);
"""


def create_tables(conn: Any) -> None:
    conn.executescript(TABLES)


def when(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def moment(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def utc(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def read_meta(conn: Any) -> dict[str, str]:
    return {key: value for key, value in conn.execute("SELECT key, value FROM meta")}


def write_meta(conn: Any, values: dict[str, str]) -> None:
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(values.items()),
    )
