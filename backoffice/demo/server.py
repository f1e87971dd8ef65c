"""The embedded PostgreSQL server (pgserver's binaries) that holds the demo clinic and the test databases.

pgserver starts the server with `trust` authentication on a private Unix socket. We tighten that at
once: the operating-system user who owns the data directory becomes the `postgres` superuser through
`peer` authentication, and every other role (the staff logins) must give its password, exactly as on a
real server. The server listens on no TCP port.
"""

from __future__ import annotations

import getpass
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from backoffice.errors import BackofficeError

_log = logging.getLogger(__name__)

SUPERUSER = "postgres"
_AUTH_MARKER = "backoffice-auth-configured"
_PG_HBA = """\
# Written by the clinic back-office: the data directory's owner is the superuser (peer),
# everybody else proves who they are with a password.
local   all   postgres   peer map=owner
local   all   all        scram-sha-256
"""


class EmbeddedServerError(BackofficeError):
    """The embedded server could not be prepared, started or stopped."""


@dataclass(frozen=True)
class EmbeddedServer:
    """An embedded PostgreSQL cluster living in `data_dir/pgdata`."""

    data_dir: Path

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    def start(self) -> Path:
        """Start the server (initialising it on first use) and return its socket directory."""
        self._ensure_data_dir()
        import pgserver  # imported here: it pulls in psutil and starts nothing until asked

        try:
            server = pgserver.get_server(self.pgdata, cleanup_mode=None)
        except (OSError, subprocess.SubprocessError, RuntimeError, AssertionError) as exc:
            _log.exception("embedded server failed to start")
            raise EmbeddedServerError(
                f"The embedded PostgreSQL server in {self.pgdata} could not be started "
                f"({type(exc).__name__}); its log is {self.pgdata / 'log'}."
            ) from None
        socket_dir = Path(server.get_postmaster_info().socket_dir)
        if not (self.pgdata / _AUTH_MARKER).exists():
            self._require_passwords(socket_dir)
        return socket_dir

    def socket_dir(self) -> Path | None:
        """The socket directory of the running server, or None when it is not running."""
        from pgserver.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(self.pgdata)
        if info is None or not info.is_running() or info.socket_dir is None:
            return None
        return Path(info.socket_dir)

    def superuser_url(self, database: str = "postgres") -> URL:
        socket_dir = self.socket_dir()
        if socket_dir is None:
            raise EmbeddedServerError("The embedded PostgreSQL server is not running.")
        return socket_url(socket_dir, username=SUPERUSER, database=database)

    def stop(self) -> bool:
        """Stop the server; return False when it was not running."""
        if self.socket_dir() is None:
            return False
        from pgserver import pg_ctl  # type: ignore[attr-defined]

        try:
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=_server_os_user())
        except subprocess.CalledProcessError:
            raise EmbeddedServerError(
                f"The embedded PostgreSQL server in {self.pgdata} did not stop."
            ) from None
        return True

    def delete(self) -> None:
        """Stop the server and remove its data directory."""
        self.stop()
        shutil.rmtree(self.pgdata, ignore_errors=True)

    def _ensure_data_dir(self) -> None:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            probe = self.data_dir / ".write-test"
            probe.write_text("ok")
            probe.unlink()
        except OSError:
            raise EmbeddedServerError(
                f"The data directory {self.data_dir} cannot be written; "
                "choose another with BACKOFFICE_DATA_DIR."
            ) from None

    def _require_passwords(self, socket_dir: Path) -> None:
        """Replace pgserver's `trust` rules: peer for the owner, passwords for everyone else."""
        import psycopg

        (self.pgdata / "pg_hba.conf").write_text(_PG_HBA)
        mapped = {getpass.getuser(), _server_os_user() or getpass.getuser()}
        idents = "".join(f"owner   {name}   {SUPERUSER}\n" for name in sorted(mapped))
        (self.pgdata / "pg_ident.conf").write_text(idents)
        conninfo = f"host={socket_dir} user={SUPERUSER} dbname=postgres"
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("SELECT pg_reload_conf()")
        (self.pgdata / _AUTH_MARKER).write_text("peer for the owner, scram-sha-256 for others\n")


def socket_url(
    socket_dir: Path, *, username: str, database: str, password: str | None = None
) -> URL:
    """A SQLAlchemy URL for a server reached through a Unix socket directory."""
    return URL.create(
        "postgresql+psycopg",
        username=username,
        password=password,
        database=database,
        query={"host": str(socket_dir)},
    )


def _server_os_user() -> str | None:
    # PostgreSQL refuses to run as root; pgserver then runs it as its own system user.
    return "pgserver" if os.name != "nt" and os.geteuid() == 0 else None
