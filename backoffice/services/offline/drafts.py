"""Drafts of additional notes written offline: saved in the copy with a UUID made here, edited,
discarded, and a conflict settled by the therapist. The same rule as online decides what a note
may say (`chart.checked_note_text`) and where it may be written (a session the therapist held).

A change to the drafts and the count in the copy's manifest are written under one lock per copy
(a sync replacing the copy takes it too), so that no draft saved during a sync is lost.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from backoffice.errors import NotFound, PermissionDenied
from backoffice.services.chart import checked_note_text
from backoffice.services.clock import clinic_time_of
from backoffice.services.offline import moments
from backoffice.services.offline.copies import connection
from backoffice.services.offline.files import read_manifest, write_manifest
from backoffice.services.offline.reading import drafts_of
from backoffice.services.offline.schema import when
from backoffice.services.offline.types import Draft, DraftResult, OfflineCopy

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


@contextmanager
def copy_lock(directory: Path) -> Iterator[None]:
    """One writer at a time per copy in this process (draft saves and a sync's refresh)."""
    with _locks_guard:
        lock = _locks.setdefault(directory, threading.Lock())
    with lock:
        yield


def list_drafts(copy: OfflineCopy) -> tuple[Draft, ...]:
    """Every draft of the copy, oldest first.

    Permission: the opened copy's. Read only. Raises OfflineUnavailable or CopyExpired.
    """
    with connection(copy) as conn:
        return drafts_of(conn)


def save_draft(
    copy: OfflineCopy, *, booking_id: str, text: str, draft_id: str | None = None
) -> DraftResult:
    """Write a new draft on one of the therapist's own sessions (or change draft `draft_id`).

    A draft changed after it was uploaded goes back to "draft": the next sync finds the upload
    and shows both texts as a conflict rather than overwriting either. Permission: the opened
    copy's, on a session the therapist held (never shared history). One SQLite transaction.
    Raises ValidationError (empty, too long), PermissionDenied, NotFound, OfflineUnavailable.
    """
    note = checked_note_text(text)
    now = clinic_time_of(moments.utc_now())
    with copy_lock(copy.info.directory), connection(copy, writing=True) as conn:
        client_id = _own_session(conn, copy, booking_id)
        if draft_id is None:
            draft_id = str(uuid.uuid4())
            conn.execute(
                "INSERT INTO drafts (draft_id, booking_id, client_id, text, written_at, "
                "edited_at, state) VALUES (?, ?, ?, ?, ?, ?, 'draft')",
                (draft_id, booking_id, client_id, note, when(now), when(now)),
            )
        else:
            _draft(conn, draft_id)
            conn.execute(
                "UPDATE drafts SET text = ?, edited_at = ?, state = 'draft', message = NULL "
                "WHERE draft_id = ? AND state <> 'conflict'",
                (note, when(now), draft_id),
            )
            conn.execute(
                "UPDATE drafts SET text = ?, edited_at = ? WHERE draft_id = ? AND state = 'conflict'",
                (note, when(now), draft_id),
            )
        _count_pending(conn, copy)
    return DraftResult(draft_id, booking_id, "draft")


def discard_draft(copy: OfflineCopy, *, draft_id: str) -> DraftResult:
    """Remove a draft from the copy (a conflict settled in favour of the text on record).

    Permission: the opened copy's. One SQLite transaction. Raises NotFound, OfflineUnavailable.
    """
    with copy_lock(copy.info.directory), connection(copy, writing=True) as conn:
        draft = _draft(conn, draft_id)
        conn.execute("DELETE FROM drafts WHERE draft_id = ?", (draft_id,))
        _count_pending(conn, copy)
    return DraftResult(draft_id, draft.booking_id, None)


def keep_as_new_draft(copy: OfflineCopy, *, draft_id: str) -> DraftResult:
    """Settle a conflict by keeping this computer's text as a draft of its own (a new UUID: it
    will be a second note beside the one on record).

    Permission: the opened copy's. One SQLite transaction. Raises NotFound, OfflineUnavailable.
    """
    fresh = str(uuid.uuid4())
    with copy_lock(copy.info.directory), connection(copy, writing=True) as conn:
        draft = _draft(conn, draft_id)
        conn.execute(
            "UPDATE drafts SET draft_id = ?, state = 'draft', note_id = NULL, server_text = NULL, "
            "message = NULL WHERE draft_id = ?",
            (fresh, draft_id),
        )
        _count_pending(conn, copy)
    return DraftResult(fresh, draft.booking_id, "draft")


def _draft(conn: Any, draft_id: str) -> Draft:
    found = drafts_of(conn, "WHERE draft_id = ?", (draft_id,))
    if not found:
        raise NotFound("That draft is not in your offline copy any more.")
    return found[0]


def _own_session(conn: Any, copy: OfflineCopy, booking_id: str) -> str:
    row = conn.execute(
        "SELECT client_id, therapist_id FROM sessions WHERE booking_id = ?", (booking_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no session {booking_id} in your offline copy.")
    if row[1] is None or row[1] != copy.actor.therapist_id:
        raise PermissionDenied(
            f"Session {booking_id} is not one of yours, so you cannot add a note to it."
        )
    return str(row[0])


def _count_pending(conn: Any, copy: OfflineCopy) -> None:
    """The manifest's count of drafts still to sync (shown without a key), kept up to date."""
    (count,) = conn.execute("SELECT count(*) FROM drafts WHERE state <> 'uploaded'").fetchone()
    manifest = read_manifest(copy.info.directory)
    if manifest is not None and manifest.info.drafts_pending != count:
        write_manifest(manifest.with_drafts_pending(count))
