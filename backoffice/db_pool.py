"""A workstation's connections: as many as its workers need while busy, one at most while idle,
and none once it has been idle for a while.

A desktop client holds its own server connections, so a clinic with hundreds of workstations
would run out of `max_connections` long before it ran out of work. The window's engine is a
`QueuePool` of size one with overflow up to `pool_size`: connections beyond the first are closed as
soon as they are returned, and a reaper closes the last one after `idle_seconds` without use
(pre-ping opens a fresh one on the next press of a button).
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any

from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool
from sqlalchemy.util.queue import Empty

from backoffice.config import DEFAULT_POOL_SIZE
from backoffice.db import create_engine

DEFAULT_IDLE_SECONDS = 60.0
_IDLE_SINCE = "backoffice_idle_since"


class IdleClosingPool(QueuePool):
    """A QueuePool that closes connections left idle longer than `idle_seconds` (0: never)."""

    idle_seconds: float = DEFAULT_IDLE_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stop = threading.Event()
        self._reaper: threading.Thread | None = None
        self._reaper_lock = threading.Lock()

    def close_idle(self, older_than: float) -> int:
        """Close the checked-in connections idle for `older_than` seconds or more; how many."""
        now, kept, closed = time.monotonic(), [], 0
        while True:
            record = self._take_idle()
            if record is None:
                break
            if now - record.info.get(_IDLE_SINCE, now) >= older_than:
                self._discard(record)
                closed += 1
            else:
                kept.append(record)
        for record in kept:  # back in the queue, or closed if it filled up meanwhile
            super()._do_return_conn(record)
        return closed

    def _take_idle(self) -> ConnectionPoolEntry | None:
        try:
            return self._pool.get(False)
        except Empty:
            return None

    def _discard(self, record: ConnectionPoolEntry) -> None:
        try:
            record.close()
        finally:
            self._dec_overflow()

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()
        super()._do_return_conn(record)
        self._ensure_reaper()

    def _ensure_reaper(self) -> None:
        if self._reaper is not None or self.idle_seconds <= 0 or self._stop.is_set():
            return
        with self._reaper_lock:
            if self._reaper is None:
                interval = min(15.0, max(0.05, self.idle_seconds / 4))
                self._reaper = threading.Thread(
                    target=_reap,
                    args=(weakref.ref(self), self._stop, interval),
                    name="backoffice-idle-connections",
                    daemon=True,
                )
                self._reaper.start()

    def dispose(self) -> None:
        self._stop.set()
        super().dispose()

    def recreate(self) -> QueuePool:
        pool = super().recreate()
        if isinstance(pool, IdleClosingPool):
            pool.idle_seconds = self.idle_seconds
        return pool


def _reap(pool_ref: weakref.ref[IdleClosingPool], stop: threading.Event, interval: float) -> None:
    while not stop.wait(interval):
        pool = pool_ref()
        if pool is None:
            return
        pool.close_idle(pool.idle_seconds)
        del pool


def create_workstation_engine(
    url: URL,
    *,
    pool_size: int = DEFAULT_POOL_SIZE,
    idle_seconds: float = DEFAULT_IDLE_SECONDS,
    **options: Any,
) -> Engine:
    """An engine for one window: up to `pool_size` connections while busy, at most one idle,
    none after `idle_seconds` without use."""
    engine = create_engine(
        url,
        poolclass=IdleClosingPool,
        pool_size=1,
        max_overflow=max(0, pool_size - 1),
        **options,
    )
    pool = engine.pool
    assert isinstance(pool, IdleClosingPool)
    pool.idle_seconds = idle_seconds
    return engine
