"""The encrypted SQLite file: SQLCipher through `sqlcipher3`'s DB-API, a raw 256-bit key, and never
a plaintext fallback.

`open_encrypted` refuses (OfflineUnavailable, one sentence) when `sqlcipher3` cannot be imported
or is not SQLCipher (a plain SQLite build would write the copy in the clear), and when the key
does not open the file. Temporary tables and indexes stay in memory; the write-ahead log and the
rollback journal are encrypted by SQLCipher like the file itself. `--self-test` opens one with it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from backoffice.services.offline.types import OfflineUnavailable

NO_SQLCIPHER = (
    "Working offline is unavailable: this installation has no SQLCipher to encrypt the copy with."
)
WRONG_KEY = (
    "Working offline is unavailable: the key no longer opens the offline copy; "
    "wipe it and take a new one when you are online."
)


def _sqlcipher() -> Any:
    try:
        import sqlcipher3
    except ImportError:
        raise OfflineUnavailable(NO_SQLCIPHER) from None
    return sqlcipher3


def open_encrypted(path: Path, key: bytes, *, create: bool = False) -> Any:
    """A connection to the SQLCipher file at `path`, opened with the raw `key` (32 bytes).

    Raises OfflineUnavailable when SQLCipher is missing, or when the key does not open the file
    (a file that does not exist is not created unless `create`).
    """
    if len(key) != 32:
        raise ValueError("an offline copy's key is 32 bytes")
    module = _sqlcipher()
    if not create and not path.exists():
        raise OfflineUnavailable("There is no offline copy at this place any more.")
    conn = module.connect(str(path), check_same_thread=False)
    try:
        _key(conn, key)
        _check_opens(conn, module)
        _settings(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _key(conn: Any, key: bytes) -> None:
    version = conn.execute("PRAGMA cipher_version").fetchone()
    if not version or not version[0]:  # a plain SQLite: it would ignore the key
        raise OfflineUnavailable(NO_SQLCIPHER)
    conn.execute("PRAGMA cipher_log_level = NONE")  # a refused key is told, not logged
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")  # a raw key: no key derivation per open


def _check_opens(conn: Any, module: Any) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError:
        raise OfflineUnavailable(WRONG_KEY) from None


def _settings(conn: Any) -> None:
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def cipher_version(conn: Any) -> str:
    row = conn.execute("PRAGMA cipher_version").fetchone()
    return str(row[0]) if row else ""


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_directory(path: Path) -> None:
    """Make a rename in `path` durable (a no-op where directories cannot be opened: Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_database(path: Path) -> None:
    """The file and its write-ahead log, shared memory and journal, if any."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def require_sqlcipher() -> None:
    """Raise OfflineUnavailable now, before anything is read or recorded, when there is no
    SQLCipher to write a copy with."""
    module = _sqlcipher()
    conn = module.connect(":memory:")
    try:
        version = conn.execute("PRAGMA cipher_version").fetchone()
    finally:
        conn.close()
    if not version or not version[0]:
        raise OfflineUnavailable(NO_SQLCIPHER)
