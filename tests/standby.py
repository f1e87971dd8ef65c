"""A real hot standby for tests: two Debian PostgreSQL 15 instances, a primary and a streaming
replica made with `pg_basebackup -R`, each on its own loopback port and private socket directory,
in one temporary directory that `delete()` removes."""

from __future__ import annotations

import time

import psycopg
from sqlalchemy.engine import URL

from tests.debian_pg import PG_BIN, DebianServer, available, private_root, remove

__all__ = ["StreamingPair", "available"]

REPLICATION = """
wal_level = replica
max_wal_senders = 4
hot_standby = on
wal_receiver_status_interval = 1s
shared_buffers = 32MB
max_connections = 40
"""


class StreamingPair:
    """`start()`; `url("primary" | "standby", ...)`; `stop_standby()`, `start_standby()`,
    `pause_replay()`, `resume_replay()`, `wait_for_replay()`; `delete()`."""

    def __init__(self) -> None:
        self.dir = private_root("backoffice-standby-")
        self.primary = DebianServer(self.dir, "primary", settings=REPLICATION)
        self.standby = DebianServer(
            self.dir, "standby", password=self.primary.password, settings=REPLICATION
        )
        self.ports = {"primary": self.primary.port, "standby": self.standby.port}

    def url(self, which: str, *, username: str = "postgres", password: str | None = None,
            database: str = "postgres") -> URL:  # fmt: skip
        server = self.primary if which == "primary" else self.standby
        return server.url(username=username, password=password, database=database)

    def primary_url(self, database: str = "postgres") -> URL:
        return self.primary.url(database=database)

    def standby_url(self, database: str = "postgres") -> URL:
        return self.standby.url(database=database)

    def start(self) -> None:
        self.primary.initdb()
        self.primary.start()
        self.primary.run(
            PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", self.primary.port,
            "-U", "postgres", "-D", self.standby.data, "-R", "-X", "stream", "-c", "fast",
            env={"PGPASSWORD": self.primary.password},
        )  # fmt: skip
        self.standby.configure()
        self.standby.start()
        self.wait_for_replay()

    def stop_standby(self) -> None:
        self.standby.stop()

    def start_standby(self) -> None:
        self.standby.start()

    def delete(self) -> None:
        remove(self.dir, self.standby, self.primary)

    def pause_replay(self) -> None:
        self._on_standby("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self._on_standby("SELECT pg_wal_replay_resume()")

    def wait_for_replay(self, timeout: float = 60.0, *, received_only: bool = False) -> None:
        """Until the standby has replayed (or only received) all the primary has written so far."""
        position = "pg_last_wal_receive_lsn()" if received_only else "pg_last_wal_replay_lsn()"
        # The insert position, not the write one: with synchronous_commit off, the last commits may
        # not be written yet when this asks (the WAL writer writes them within 200 ms).
        with psycopg.connect(_conninfo(self.primary_url()), autocommit=True) as primary:
            row = primary.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()
        target = row[0] if row else "0/0"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(_conninfo(self.standby_url()), autocommit=True) as standby:
                    done = standby.execute(
                        f"SELECT {position} >= %s::pg_lsn",  # type: ignore[arg-type]
                        (target,),
                    ).fetchone()
                if done and done[0]:
                    return
            except psycopg.OperationalError:
                pass  # still starting
            time.sleep(0.1)
        raise RuntimeError(f"the standby did not replay up to {target} in {timeout} s")

    def wait_until_serving(self, username: str, password: str, database: str,
                           timeout: float = 60.0) -> None:  # fmt: skip
        """Until `username` can read on the standby (restarting it if its server has stopped);
        on timeout, fails with PostgreSQL's last refusal and the end of the standby's log."""
        url = self.url("standby", username=username, password=password, database=database)
        deadline, reason = time.monotonic() + timeout, ""
        while time.monotonic() < deadline:
            if not (self.standby.data / "postmaster.pid").exists():
                self.standby.start()
            try:
                with psycopg.connect(_conninfo(url), autocommit=True, connect_timeout=5) as conn:
                    conn.execute("SELECT pg_is_in_recovery()")
                return
            except psycopg.OperationalError as error:
                reason = str(error).strip()
            time.sleep(0.2)
        log = (self.dir / "standby.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{username} cannot read on the standby: {reason}\n{log}")

    def _on_standby(self, sql: str) -> None:
        with psycopg.connect(_conninfo(self.standby_url()), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]


def _conninfo(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
