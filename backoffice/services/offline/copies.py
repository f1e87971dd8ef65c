"""Putting a copy in place, opening it for an offline login, and wiping it.

Taking a copy writes a new encrypted file beside the old one, syncs it, then replaces the manifest
(`files.write_manifest`): that rename is the moment the new copy takes over; the old file is
removed afterwards. A crash before it leaves the old copy as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from backoffice.credentials import ServerKey
from backoffice.errors import NotFound, ValidationError
from backoffice.services.offline import moments
from backoffice.services.offline.files import (
    Manifest,
    copy_dir,
    new_file_name,
    read_manifest,
    write_manifest,
)
from backoffice.services.offline.keys import (
    CopyKey,
    DeviceSecrets,
    check_secret,
    derive,
    new_salt,
    secret_check,
    verifies,
)
from backoffice.services.offline.schema import read_meta, utc, write_meta
from backoffice.services.offline.snapshot import Snapshot
from backoffice.services.offline.store import open_encrypted, remove_database
from backoffice.services.offline.types import CopyInfo, Draft, OfflineCopy
from backoffice.services.offline.writing import write_file
from backoffice.services.permissions import Actor, Role


def put_copy(
    snapshot: Snapshot,
    *,
    server: ServerKey,
    password: str,
    secrets: DeviceSecrets,
    drafts: Sequence[Draft] = (),
) -> CopyInfo:
    """Write `snapshot` (and the drafts carried over) as this login's copy on this computer."""
    login = snapshot.actor.login_role
    directory = copy_dir(server, login)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = secrets.get_or_make(server, login)
    salt = new_salt()
    key = derive(secret, password, salt)
    name = new_file_name()
    write_file(directory / name, key.raw, snapshot, drafts)
    os.chmod(directory / name, 0o600)
    pending = sum(d.pending or d.state == "conflict" for d in drafts)
    info = CopyInfo(directory, login, server, snapshot.taken_utc, snapshot.expires_utc, pending)
    write_manifest(Manifest(info, name, salt, key.verifier, secret_check(secret, salt)))
    _remove_other_files(directory, keep=name)
    return info


def _remove_other_files(directory: Path, *, keep: str) -> None:
    for path in directory.glob("copy-*.db"):
        if path.name != keep:
            remove_database(path)


def open_copy(
    *, server: ServerKey, login: str, password: str, secrets: DeviceSecrets | None = None
) -> OfflineCopy:
    """An offline login: this login's copy opened with the keyring's secret and the password.

    Permission: the copy's own (the password and this computer's keyring); no database. The
    latest time seen is moved on. Raises NotFound (no copy here), ValidationError (the password
    does not open it), OfflineUnavailable (keyring, key, clock) or CopyExpired.
    """
    manifest = _manifest(server, login)
    if not password:
        raise ValidationError("Enter your password.")
    key = unlock(manifest, password, secrets or DeviceSecrets())
    file = manifest.info.directory / manifest.file
    with opened(file, key.raw, writing=True) as conn:
        meta = read_meta(conn)
    taken_at = dt.datetime.fromisoformat(meta["taken_at"])
    return OfflineCopy(manifest.info, file, key.raw, actor_of(meta), taken_at)


def unlock(manifest: Manifest, password: str, secrets: DeviceSecrets) -> CopyKey:
    """The copy's key from this computer's keyring and the password; OfflineUnavailable when the
    keyring's secret is gone or another, ValidationError when the password is not the one."""
    info = manifest.info
    secret = secrets.get(info.server, info.login)
    check_secret(secret, manifest.salt, manifest.secret_check)
    key = derive(secret, password, manifest.salt)
    if not verifies(key, manifest.verifier):
        raise ValidationError(f"That password does not open the offline copy of {info.login}.")
    return key


def _manifest(server: ServerKey, login: str) -> Manifest:
    manifest = read_manifest(copy_dir(server, login))
    if manifest is None:
        raise NotFound(f"There is no offline copy of {login} from this server on this computer.")
    return manifest


def connection(
    copy: OfflineCopy, *, writing: bool = False
) -> contextlib.AbstractContextManager[Any]:
    """The copy's file, opened and checked (clock, expiry); a write commits when the block ends
    and moves the latest time seen on."""
    return opened(copy.file, copy.key, writing=writing)


@contextlib.contextmanager
def opened(file: Path, key: bytes, *, writing: bool = False, checked: bool = True) -> Iterator[Any]:
    """The file opened with `key`; `checked`: refused when the clock went back or it expired
    (a sync, online, reads the drafts of an expired copy all the same)."""
    conn = open_encrypted(file, key)
    try:
        meta = read_meta(conn)
        now = moments.utc_now()
        seen = utc(meta["latest_seen_utc"])
        if checked:
            moments.check(now, latest_seen=seen, expires_at=utc(meta["expires_utc"]))
        if not writing:
            yield conn
            return
        with conn:
            yield conn
            if now > seen:
                write_meta(conn, {"latest_seen_utc": now.isoformat()})
    finally:
        conn.close()


def actor_of(meta: dict[str, str]) -> Actor:
    """The therapist the copy was taken for, as the server identified them at checkout."""
    return Actor(
        login_role=meta["login"],
        role=Role.THERAPIST,
        display_name=meta["display_name"],
        therapist_id=meta["therapist_id"] or None,
        user_id=int(meta["user_id"]) if meta.get("user_id") else None,
    )


def wipe_copy(*, server: ServerKey, login: str, secrets: DeviceSecrets | None = None) -> str | None:
    """Remove this login's copy from this computer: the keyring's secret first (the files are
    unreadable from then on), then the files. Returns a sentence when the keyring refused (the
    files are gone all the same), None otherwise. Raises NotFound when there is no copy at all.
    """
    directory = copy_dir(server, login)
    if not directory.exists():
        raise NotFound(f"There is no offline copy of {login} from this server on this computer.")
    refused = (secrets or DeviceSecrets()).delete(server, login)
    shutil.rmtree(directory, ignore_errors=True)
    if refused is None:
        return None
    return (
        f"The offline copy's files are removed; its key could not be removed from the keyring "
        f"({refused})."
    )
