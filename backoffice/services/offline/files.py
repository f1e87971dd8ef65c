"""Where offline copies live (`<data dir>/offline/<one folder per login and server>`) and the
plaintext manifest beside each encrypted file.

The manifest holds what `backoffice offline status` shows without a key and what the key is made
with: login, server, the file's name, the salt, verifier and secret check (`keys`), when the copy was taken and
until when it may be read, and how many drafts wait for a sync. Never a client's name, a note or a
key. Replacing it (a new file written and synced, then renamed over the old one) is the moment a
new copy takes the place of the old.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from backoffice import config
from backoffice.credentials import ServerKey
from backoffice.services.offline.schema import utc
from backoffice.services.offline.store import fsync_directory
from backoffice.services.offline.types import CopyInfo

MANIFEST = "copy.json"
FORMAT = 1


@dataclass(frozen=True)
class Manifest:
    info: CopyInfo
    file: str  # the encrypted file's name in the copy's folder
    salt: bytes
    verifier: bytes
    secret_check: bytes

    def to_json(self) -> str:
        i = self.info
        return json.dumps(
            {
                "format": FORMAT,
                "login": i.login,
                "server": str(i.server),
                "file": self.file,
                "salt": self.salt.hex(),
                "verifier": self.verifier.hex(),
                "secret_check": self.secret_check.hex(),
                "taken_at": i.taken_at.isoformat(),
                "expires_at": i.expires_at.isoformat(),
                "drafts_pending": i.drafts_pending,
            },
            indent=2,
        )

    def with_drafts_pending(self, count: int) -> Manifest:
        return replace(self, info=replace(self.info, drafts_pending=count))


def copies_dir() -> Path:
    return config.data_dir() / "offline"


def copy_dir(server: ServerKey, login: str) -> Path:
    """One folder per login and server, named by a digest: no name of anyone in a path."""
    digest = hashlib.sha256(f"{login}@{server}".encode()).hexdigest()[:24]
    return copies_dir() / digest


def new_file_name() -> str:
    return f"copy-{secrets.token_hex(6)}.db"


def read_manifest(directory: Path) -> Manifest | None:
    """The manifest of the copy in `directory`, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        info = CopyInfo(
            directory=directory,
            login=str(data["login"]),
            server=ServerKey(str(data["server"])),
            taken_at=utc(data["taken_at"]),
            expires_at=utc(data["expires_at"]),
            drafts_pending=int(data.get("drafts_pending", 0)),
        )
        return Manifest(
            info,
            str(data["file"]),
            bytes.fromhex(data["salt"]),
            bytes.fromhex(data["verifier"]),
            bytes.fromhex(data["secret_check"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_manifest(manifest: Manifest) -> None:
    """Replace the manifest atomically: a new file, synced, renamed over the old one."""
    directory = manifest.info.directory
    temporary = directory / f".{MANIFEST}.{secrets.token_hex(4)}"
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(manifest.to_json())
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, directory / MANIFEST)
    fsync_directory(directory)


def all_copies() -> list[Manifest]:
    """Every copy on this computer with a readable manifest, by login and server."""
    root = copies_dir()
    if not root.is_dir():
        return []
    found = [read_manifest(d) for d in sorted(root.iterdir()) if d.is_dir()]
    return sorted((m for m in found if m is not None), key=lambda m: (m.info.login, m.info.server))


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
