"""A private Debian PostgreSQL 15 instance: its own data directory, a loopback port and a private
socket directory, SCRAM passwords; `delete()` stops it and removes everything.

PostgreSQL refuses to run as root, so when the tests run as root (CI) it runs as `postgres`.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL

from tests.pgbouncer import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SERVER_USER = "postgres"
BASE_SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
fsync = off
synchronous_commit = off
full_page_writes = off
"""


def available() -> bool:
    return (PG_BIN / "initdb").exists() and (PG_BIN / "pg_basebackup").exists()


class DebianServer:
    """One instance in `root/name`; `settings` are appended to its postgresql.conf."""

    def __init__(self, root: Path, name: str, *, password: str | None = None,
                 settings: str = "") -> None:  # fmt: skip
        self.root, self.name = root, name
        self.data = root / name
        self.password = password or secrets.token_hex(16)
        self.port = free_port()
        self.settings = settings
        self.as_root = os.geteuid() == 0

    def url(self, *, username: str = "postgres", password: str | None = None,
            database: str = "postgres") -> URL:  # fmt: skip
        return URL.create(
            "postgresql+psycopg",
            username=username,
            password=self.password if password is None else password,
            host="127.0.0.1",
            port=self.port,
            database=database,
        )

    def initdb(self) -> None:
        pwfile = self.root / f"{self.name}.pwfile"
        pwfile.write_text(self.password + "\n")
        self.chown(pwfile)
        self.run(
            PG_BIN / "initdb", "-D", self.data, "-U", "postgres", f"--pwfile={pwfile}",
            "-A", "scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        pwfile.unlink()
        self.configure()

    def configure(self) -> None:
        """Its own port and socket directory (after initdb, or in a copied base backup)."""
        sockets = self.root / f"{self.name}-sockets"
        sockets.mkdir(exist_ok=True)
        self.chown(sockets)
        settings = BASE_SETTINGS.format(port=self.port, sockets=sockets) + self.settings
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(settings)

    def start(self) -> None:
        self.pg_ctl("-l", self.root / f"{self.name}.log", "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("-m", mode, "stop", check=False)

    def pg_ctl(self, *args: object, check: bool = True) -> None:
        self.run(PG_BIN / "pg_ctl", "-D", self.data, *args, check=check)

    def run(self, *command: object, env: dict[str, str] | None = None, check: bool = True) -> None:
        argv = [str(part) for part in command]
        if self.as_root:
            argv = ["runuser", "-u", SERVER_USER, "--", *argv]
        result = subprocess.run(
            argv, env={**os.environ, **(env or {})}, capture_output=True, text=True, cwd=self.root
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed:\n{result.stdout}{result.stderr}")

    def chown(self, path: Path) -> None:
        if self.as_root:
            record = pwd.getpwnam(SERVER_USER)
            os.chown(path, record.pw_uid, record.pw_gid)


def private_root(prefix: str) -> Path:
    """A temporary directory the server's system user may write."""
    import tempfile

    root = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        record = pwd.getpwnam(SERVER_USER)
        os.chown(root, record.pw_uid, record.pw_gid)
    return root


def remove(root: Path, *servers: DebianServer) -> None:
    for server in servers:
        server.stop("immediate")
    shutil.rmtree(root, ignore_errors=True)
