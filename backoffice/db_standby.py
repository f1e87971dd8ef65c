"""Reads that can wait (long reports, dashboards) on a hot standby, when the clinic has one.

The standby serves them while it answers and is at most `max_lag_seconds` behind the primary;
otherwise the primary does, and the caller gets a sentence to show. Workflows never come here:
they lock and write, so they always run on the primary. The login on the standby is the same
PostgreSQL role (roles and row security replicate with everything else), so it reads exactly what
it would read on the primary.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from backoffice.db import UnitOfWork, safe_url

_log = logging.getLogger(__name__)

DEFAULT_MAX_LAG_SECONDS = 30.0
RECHECK_SECONDS = 10.0
UNREACHABLE = "Reports from the primary: the read-only server is unreachable."
NOT_A_STANDBY = "Reports from the primary: the read-only server is not a standby."
LAGGING = "Reports from the primary: the read-only server is {behind} behind."

# Replay lag in seconds: none when a WAL receiver runs and everything received has been replayed;
# otherwise the age of the last transaction replayed (a standby that has lost its primary cannot
# know how far behind it is, so it counts as behind by that much). pg_stat_wal_receiver shows an
# unprivileged login only the receiver's pid, which is all this asks.
_LAG = sa.text("""
SELECT pg_is_in_recovery() AS in_recovery,
       CASE WHEN EXISTS (SELECT FROM pg_stat_wal_receiver)
                 AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0.0
            ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8,
                          'Infinity'::float8)
       END AS lag
""")


@dataclass(frozen=True)
class ReadTarget:
    """Where the next long read goes, and the sentence to show when it is not the standby."""

    engine: Engine
    on_standby: bool
    note: str | None = None

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.engine)


class ReadRouter:
    """Chooses the standby or the primary for reads, checking the standby at most every
    `recheck_seconds` (a dashboard refresh does not wait for a probe each time)."""

    def __init__(
        self,
        primary: Engine,
        standby: Engine | None = None,
        *,
        max_lag_seconds: float = DEFAULT_MAX_LAG_SECONDS,
        recheck_seconds: float = RECHECK_SECONDS,
    ) -> None:
        self.primary, self.standby = primary, standby
        self.max_lag_seconds, self.recheck_seconds = max_lag_seconds, recheck_seconds
        self._lock = threading.Lock()
        self._cached: tuple[float, ReadTarget] | None = None

    def target(self) -> ReadTarget:
        """The standby when it is up and close enough behind, else the primary with a note.
        May wait for the standby's connect timeout; call it from a worker."""
        if self.standby is None:
            return ReadTarget(self.primary, on_standby=False)
        with self._lock:
            now = time.monotonic()
            if self._cached is not None and now - self._cached[0] < self.recheck_seconds:
                return self._cached[1]
            target = self._probe(self.standby)
            self._cached = (time.monotonic(), target)
            return target

    def forget(self) -> None:
        """Check the standby afresh on the next `target()` (after a read on it failed)."""
        with self._lock:
            self._cached = None

    def close(self) -> None:
        if self.standby is not None:
            self.standby.dispose()

    def _probe(self, standby: Engine) -> ReadTarget:
        try:
            with standby.connect() as conn:
                row = conn.execute(_LAG).one()
        except DBAPIError as error:
            # The sentence stays short for the window; the log keeps PostgreSQL's reason for IT.
            _log.warning("read-only server %s: %s", safe_url(standby.url), error.orig)
            return ReadTarget(self.primary, on_standby=False, note=UNREACHABLE)
        if not row.in_recovery:
            return ReadTarget(self.primary, on_standby=False, note=NOT_A_STANDBY)
        if row.lag > self.max_lag_seconds:
            behind = LAGGING.format(behind=describe_lag(row.lag))
            return ReadTarget(self.primary, on_standby=False, note=behind)
        return ReadTarget(standby, on_standby=True)


def describe_lag(seconds: float) -> str:
    """'45 seconds', '12 minutes', '3 hours', 'an unknown time'."""
    if seconds == float("inf"):
        return "an unknown time"
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= 2 * size:
            return f"{int(seconds // size)} {unit}s"
    return f"{int(seconds)} seconds"
