"""A private PgBouncer (transaction pooling, SCRAM) in front of the test server, on 127.0.0.1.

How PgBouncer 1.18 checks a SCRAM login without knowing the password: it reads the login's SCRAM
secret from the server (`auth_query`, run as `auth_user`), checks the client's proof against it,
and keeps the keys the client's proof reveals to log into the server *as that same login*. So each
pool is one (database, login) pair and the server sees the person's own role: `session_user`,
grants and row security are exactly what a direct connection gets. A login that cannot log in
(NOLOGIN, expired) has no secret in `auth_query`'s answer and is refused by PgBouncer itself.

Here `auth_user` is the test server's superuser (peer on the embedded server's socket, its password
on a TCP server); a production setup uses a SECURITY DEFINER lookup function instead
(docs/pgbouncer.md).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy.engine import URL

Route = Callable[[URL], URL]  # how a fixture's login URL reaches the server


def direct(url: URL) -> URL:
    return url


PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
VIA_PGBOUNCER_ENV = "BACKOFFICE_TEST_VIA_PGBOUNCER"


def wanted() -> bool:
    """Whether this run hands out login URLs through PgBouncer (BACKOFFICE_TEST_VIA_PGBOUNCER=1)."""
    return os.environ.get(VIA_PGBOUNCER_ENV, "") not in ("", "0")


def available() -> bool:
    return Path(PGBOUNCER).exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PgBouncer:
    """`start()`, `stop()`, `restart()`; `url(login_url)` is the same login through the pooler."""

    def __init__(
        self,
        superuser_url: URL,
        *,
        pool_size: int = 5,
        max_db_connections: int = 0,
        server_idle_timeout: float = 30,
        reset_always: bool = False,
    ) -> None:
        self.superuser_url = superuser_url
        self.pool_size = pool_size
        self.max_db_connections = max_db_connections
        self.server_idle_timeout = server_idle_timeout
        # DISCARD ALL after every transaction: what a test suite that SETs session state on
        # purpose needs so that it does not reach the same login's next test. The application
        # itself needs no reset (tests/integration/test_pgbouncer.py runs without).
        self.reset_always = reset_always
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="backoffice-pgbouncer-"))
        self._os_user = _os_user(superuser_url)
        self._process: subprocess.Popen[bytes] | None = None
        self.databases_since_start = 0
        self._write_config()

    # --- what tests use --------------------------------------------------------------
    def url(self, login_url: URL) -> URL:
        """`login_url`'s login, password and database, reached through the pooler."""
        return URL.create(
            login_url.drivername,
            username=login_url.username,
            password=login_url.password,
            host="127.0.0.1",
            port=self.port,
            database=login_url.database,
        )

    def add_database(self, limit: int = 50) -> None:
        """A test's own database is about to be used: restart first once `limit` have been.

        PgBouncer 1.18 authenticates a login missing from its auth file through `auth_user`'s
        pool in the database asked for; after about a hundred dropped databases a new one's
        login waits past the connect timeout (reproduced with 130 databases and one login).
        Between tests nothing holds a connection through it that a restart would break."""
        if self.databases_since_start >= limit:
            self.restart()
        self.databases_since_start += 1

    def start(self) -> None:
        self.databases_since_start = 0
        command = [PGBOUNCER, str(self.dir / "pgbouncer.ini")]
        if os.geteuid() == 0:  # PgBouncer refuses to run as root
            command[1:1] = ["-u", self._os_user]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait_until_listening()

    def stop(self) -> None:
        """Immediate shutdown (SIGTERM): every client connection is dropped, as in a crash."""
        process, self._process = self._process, None
        if process is None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()

    def restart(self) -> None:
        self.stop()
        self.start()

    def delete(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self) -> str:
        try:
            return (self.dir / "pgbouncer.log").read_text(errors="replace")
        except OSError:
            return ""

    # --- configuration ---------------------------------------------------------------
    def _write_config(self) -> None:
        superuser = self.superuser_url.username or "postgres"
        upstream = _upstream(self.superuser_url)
        (self.dir / "pgbouncer.ini").write_text(
            f"""\
[databases]
* = {upstream}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
pool_mode = transaction
auth_type = scram-sha-256
auth_file = {self.dir / "users.txt"}
auth_user = {superuser}
default_pool_size = {self.pool_size}
min_pool_size = 0
reserve_pool_size = 0
max_db_connections = {self.max_db_connections}
max_client_conn = 2000
server_idle_timeout = {self.server_idle_timeout}
server_lifetime = 3600
server_login_retry = 1
query_wait_timeout = 60
server_reset_query = DISCARD ALL
server_reset_query_always = {int(self.reset_always)}
logfile = {self.dir / "pgbouncer.log"}
pidfile = {self.dir / "pgbouncer.pid"}
log_connections = 0
log_disconnections = 0
"""
        )
        password = self.superuser_url.password
        # auth_user logs in with this; with peer authentication (the embedded server) it needs none.
        line = f'"{superuser}" "{_quoted(password)}"\n' if password else ""
        (self.dir / "users.txt").write_text(line)
        os.chmod(self.dir / "users.txt", 0o600)
        if os.geteuid() == 0:
            record = pwd.getpwnam(self._os_user)
            for path in (self.dir, *self.dir.iterdir()):
                os.chown(path, record.pw_uid, record.pw_gid)

    def _wait_until_listening(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise RuntimeError(f"pgbouncer exited at start:\n{self.log()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"pgbouncer did not listen within {timeout} s:\n{self.log()[-2000:]}")


def _upstream(url: URL) -> str:
    if url.host:
        return f"host={url.host} port={url.port or 5432}"
    socket_dir = unquote(str(url.query["host"]))
    return f"host={socket_dir} port={url.port or 5432}"


def _os_user(url: URL) -> str:
    """Who PgBouncer runs as when the tests run as root: the owner of the server's socket
    directory (so that peer authentication maps it to the superuser), else `postgres`/`nobody`."""
    if not url.host and url.query.get("host"):
        owner = Path(unquote(str(url.query["host"]))).stat().st_uid
        if owner != 0:
            return pwd.getpwuid(owner).pw_name
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("no unprivileged system user to run pgbouncer as")


def _quoted(text: str) -> str:
    return text.replace('"', '""')
