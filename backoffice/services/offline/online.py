"""What needs the server: taking the caseload offline, uploading a draft, and a sync (the drafts
uploaded, each once, then the copy refreshed). Server time orders everything: the notes a sync
writes get the server's clock, and the refreshed copy is a new snapshot, not a merge.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from backoffice.credentials import ServerKey
from backoffice.db import UnitOfWork, raised_as
from backoffice.db_login import login_target
from backoffice.errors import (
    BackofficeError,
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from backoffice.services.chart import checked_note_text
from backoffice.services.offline.copies import opened, put_copy, unlock
from backoffice.services.offline.drafts import copy_lock
from backoffice.services.offline.files import Manifest, copy_dir, read_manifest
from backoffice.services.offline.keys import DeviceSecrets
from backoffice.services.offline.reading import drafts_of
from backoffice.services.offline.snapshot import read_snapshot
from backoffice.services.offline.store import require_sqlcipher
from backoffice.services.offline.types import (
    CheckoutResult,
    CopyInfo,
    Draft,
    SyncResult,
    UploadResult,
)
from backoffice.services.permissions import Actor, Permission, require, require_therapist

Units = Callable[[], UnitOfWork]
_UPLOAD = sa.text(
    "SELECT outcome, note_id, created_at, note_text "
    "FROM backoffice.upload_offline_draft(CAST(:draft_id AS uuid), :booking_id, :text)"
)
# SQLSTATE of the function's refusals -> the error its sentence is raised as
_ERRORS: dict[str, type[BackofficeError]] = {
    "42501": PermissionDenied,  # not a therapist, not their session, the client moved away
    "22023": ValidationError,  # empty
    "22001": ValidationError,  # too long
}


def checkout_caseload(
    uow_factory: Units,
    actor: Actor,
    *,
    password: str,
    server: ServerKey | None = None,
    secrets: DeviceSecrets | None = None,
) -> CheckoutResult:
    """Take the therapist's caseload offline: an encrypted copy on this computer, readable with
    `password` (the login's) and this computer's keyring until the server's expiry.

    `server` names the server as the login window does (default: the connection's host, port and
    database). Permission: TAKE_CASELOAD_OFFLINE; row security and the definer functions decide
    what is read. Transactions: a short read, the notes' opening committed (audit event
    "caseload.checked_out" listing them), then one read-only REPEATABLE READ snapshot.
    Raises PermissionDenied, NotFound (no therapist), ValidationError (no password),
    ConflictError (the copy here holds drafts not yet synced), OfflineUnavailable.
    """
    require(actor, Permission.TAKE_CASELOAD_OFFLINE)
    require_therapist(actor)
    server = server or server_of(uow_factory)
    _check_password(password)
    old = read_manifest(copy_dir(server, actor.login_role))
    if old is not None and old.info.drafts_pending:
        raise ConflictError(
            f"Your offline copy holds {old.info.drafts_pending} draft(s) not yet on the server: "
            "sync it rather than taking a new one."
        )
    secrets = secrets or DeviceSecrets()
    require_sqlcipher()  # refused here, before any note is put on record as read
    secrets.get_or_make(server, actor.login_role)
    return _refresh(uow_factory, actor, server, password, secrets, carried=())


def upload_draft(
    uow: UnitOfWork, actor: Actor, *, draft_id: str, booking_id: str, text: str
) -> UploadResult:
    """Upload one draft written offline: it becomes an additional note exactly once, however
    often it is sent (`backoffice.upload_offline_draft` claims its UUID in the same transaction).

    Permission: WRITE_ADDITIONAL_NOTES; the database checks again that the session is the
    login's and the client still on their caseload. One transaction; audit events
    "additional_note.added" and "offline_draft.uploaded". Raises PermissionDenied (a client
    transferred away), ValidationError (empty, too long, not a UUID).
    """
    require(actor, Permission.WRITE_ADDITIONAL_NOTES)
    note = checked_note_text(text)
    try:
        draft_uuid = str(uuid.UUID(draft_id))
    except ValueError:
        raise ValidationError("A draft's id is a UUID made when it was written.") from None
    values = {"draft_id": draft_uuid, "booking_id": booking_id, "text": note}
    with raised_as(_ERRORS):
        row = uow.session.execute(_UPLOAD, values).one()
    uow.commit()
    return UploadResult(
        draft_id=draft_id,
        outcome=row.outcome,
        note_id=row.note_id,
        written_at=row.created_at,
        server_text=row.note_text if row.outcome == "conflict" else None,
    )


def sync_caseload(
    uow_factory: Units,
    actor: Actor,
    *,
    password: str,
    server: ServerKey | None = None,
    secrets: DeviceSecrets | None = None,
) -> SyncResult:
    """Upload the drafts of this computer's copy, each once and in the order written, then
    refresh the copy with a new snapshot (the drafts still here carried over).

    A draft the server refuses (the client transferred away meanwhile, the session not the
    therapist's) is kept with the reason; one uploaded earlier and edited since is a conflict:
    both texts are kept, nothing is overwritten. Each outcome is written to the copy at once, so
    a connection lost halfway loses nothing. Permission: TAKE_CASELOAD_OFFLINE and
    WRITE_ADDITIONAL_NOTES. One transaction per draft, then the checkout's. Raises
    PermissionDenied, NotFound (no copy here), ValidationError (the password does not open it),
    OfflineUnavailable, DatabaseUnavailable (drafts done so far stay done).
    """
    require(actor, Permission.TAKE_CASELOAD_OFFLINE)
    require_therapist(actor)
    server = server or server_of(uow_factory)
    _check_password(password)
    secrets = secrets or DeviceSecrets()
    manifest, key = _unlocked(server, actor.login_role, password, secrets)
    outcomes = [_upload(uow_factory, actor, manifest, key, d) for d in _pending(manifest, key)]
    checkout = _refresh(uow_factory, actor, server, password, secrets, carried=None)
    return SyncResult(
        uploaded=tuple(d for d in outcomes if d.state == "uploaded"),
        conflicts=tuple(d for d in outcomes if d.state == "conflict"),
        kept=tuple(d for d in outcomes if d.state == "kept"),
        checkout=checkout,
    )


def server_of(uow_factory: Units) -> ServerKey:
    """The server of the login's connections, as the login window and the keyring name it."""
    with uow_factory() as uow:
        return login_target(uow.session.get_bind().engine.url).server


def _check_password(password: str) -> None:
    if not password:
        raise ValidationError(
            "An offline copy is protected by your password: give the password you log in with."
        )


def _unlocked(
    server: ServerKey, login: str, password: str, secrets: DeviceSecrets
) -> tuple[Manifest, bytes]:
    manifest = read_manifest(copy_dir(server, login))
    if manifest is None:
        raise NotFound(f"There is no offline copy of {login} on this computer to sync.")
    return manifest, unlock(manifest, password, secrets).raw


def _file(manifest: Manifest) -> Any:
    return manifest.info.directory / manifest.file


def _pending(manifest: Manifest, key: bytes) -> tuple[Draft, ...]:
    with opened(_file(manifest), key, checked=False) as conn:
        return drafts_of(conn, "WHERE state IN ('draft', 'kept')")


def _upload(units: Units, actor: Actor, manifest: Manifest, key: bytes, draft: Draft) -> Draft:
    try:
        with units() as uow:
            done = upload_draft(
                uow, actor, draft_id=draft.draft_id, booking_id=draft.booking_id, text=draft.text
            )
    except (PermissionDenied, ValidationError) as refused:
        return _record(manifest, key, draft, "kept", message=str(refused))
    if done.outcome == "conflict":
        return _record(
            manifest, key, draft, "conflict", note_id=done.note_id, server_text=done.server_text
        )
    return _record(manifest, key, draft, "uploaded", note_id=done.note_id)


def _record(manifest: Manifest, key: bytes, draft: Draft, state: str, **values: Any) -> Draft:
    """The draft's outcome written to the copy at once (it may be lost to a cut connection next)."""
    note_id, server_text, message = (values.get(k) for k in ("note_id", "server_text", "message"))
    with (
        copy_lock(manifest.info.directory),
        opened(_file(manifest), key, writing=True, checked=False) as conn,
    ):
        conn.execute(
            "UPDATE drafts SET state = ?, note_id = ?, server_text = ?, message = ? "
            "WHERE draft_id = ? AND edited_at = ?",
            (state, note_id, server_text, message, draft.draft_id, draft.edited_at.isoformat()),
        )
    return Draft(
        draft.draft_id,
        draft.booking_id,
        draft.client_id,
        draft.text,
        draft.written_at,
        draft.edited_at,
        state,  # type: ignore[arg-type]
        note_id,
        server_text,
        message,
    )


def _refresh(
    units: Units,
    actor: Actor,
    server: ServerKey,
    password: str,
    secrets: DeviceSecrets,
    *,
    carried: tuple[Draft, ...] | None,
) -> CheckoutResult:
    """A new snapshot as the copy; the drafts not yet on record carried over (read last, under
    the copy's lock, so that one saved meanwhile is kept)."""
    snapshot = read_snapshot(units, actor)
    directory = copy_dir(server, actor.login_role)
    with copy_lock(directory):
        if carried is None:
            manifest, key = _unlocked(server, actor.login_role, password, secrets)
            with opened(_file(manifest), key, checked=False) as conn:
                carried = drafts_of(conn, "WHERE state <> 'uploaded'")
        info: CopyInfo = put_copy(
            snapshot, server=server, password=password, secrets=secrets, drafts=carried
        )
    return CheckoutResult(
        info=info,
        clients=len(snapshot.clients),
        sessions=len(snapshot.sessions),
        notes=len(snapshot.notes),
        left_out=snapshot.left_out,
    )
