"""A window's connections, counted by the server (pg_stat_activity): up to its pool size while
its workers are busy, one once they are done, none after it has been idle for a while."""

from __future__ import annotations

import dataclasses
import threading
import time

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from backoffice.db import UnitOfWork
from backoffice.db_pool import IdleClosingPool, create_workstation_engine
from backoffice.services.login import identify, open_session
from backoffice.services.notes import open_note
from tests.conftest import DEMO_PASSWORDS
from tests.pg import libpq_conninfo

LOGIN = "demo_finance"


def connections(owner_url: URL) -> int:
    with psycopg.connect(libpq_conninfo(owner_url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND usename = %s",
            (owner_url.database, LOGIN),
        ).fetchone()
    return int(row[0]) if row else 0


def settle(owner_url: URL, expected: int, within: float = 10.0) -> int:
    """The count once it reaches `expected` (a closed backend takes a moment to leave)."""
    deadline = time.monotonic() + within
    while (count := connections(owner_url)) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return count


def busy(engine: sa.Engine, workers: int, owner_url: URL) -> int:
    """Run `workers` units of work at once; the most server connections seen meanwhile."""
    start, done, highest = threading.Barrier(workers + 1), threading.Event(), [0]

    def work() -> None:
        start.wait()
        with UnitOfWork(engine) as uow:
            uow.session.execute(sa.text("SELECT pg_sleep(0.4)"))

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    start.wait()
    while not done.is_set():
        highest[0] = max(highest[0], connections(owner_url))
        done.wait(0.05)
        if not any(thread.is_alive() for thread in threads):
            done.set()
    for thread in threads:
        thread.join()
    return highest[0]


@pytest.fixture
def window_engine(demo_clone):
    # Straight to the server, even on a run through PgBouncer: these are the window's own.
    url = demo_clone.direct_login_url(LOGIN, DEMO_PASSWORDS[LOGIN])
    engine = create_workstation_engine(url, pool_size=4, idle_seconds=1.0)
    yield engine
    engine.dispose()


def test_busy_it_uses_up_to_its_pool_size_and_keeps_one_when_done(window_engine, demo_clone):
    owner = demo_clone.owner_url
    assert busy(window_engine, 4, owner) == 4
    assert settle(owner, 1) == 1  # the three overflow connections closed on return
    assert busy(window_engine, 8, owner) == 4  # the other four waited their turn
    assert settle(owner, 1) == 1


def test_idle_it_closes_its_last_connection_and_opens_one_when_needed(window_engine, demo_clone):
    owner = demo_clone.owner_url
    with UnitOfWork(window_engine) as uow:
        uow.session.execute(sa.text("SELECT 1"))
    assert connections(owner) == 1
    assert settle(owner, 0) == 0  # idle for a second: the reaper closed it
    with UnitOfWork(window_engine) as uow:
        assert uow.session.execute(sa.text("SELECT session_user")).scalar() == LOGIN
    assert busy(window_engine, 4, owner) == 4  # the overflow count survived the reaping


def test_the_window_pool_follows_the_profiles_pool_size(demo_database):
    profile = dataclasses.replace(demo_database.profile(), pool_size=3)
    session = open_session(profile, username=LOGIN, password=DEMO_PASSWORDS[LOGIN])
    try:
        pool = session.engine.pool
        assert isinstance(pool, IdleClosingPool)
        assert (pool.size(), pool._max_overflow) == (1, 2)
    finally:
        session.close()


def test_opening_a_note_never_needs_two_connections_at_once(demo_clone):
    # A login with a single connection (a pool of one, or a pooler at its limit) still opens a
    # note: the opening is committed before the read asks for a connection.
    url = demo_clone.direct_login_url("demo_admin", DEMO_PASSWORDS["demo_admin"])
    engine = create_workstation_engine(url, pool_size=1, pool_timeout=3)
    try:
        actor = identify(engine, url)
        with UnitOfWork(engine) as uow:
            note_id = uow.session.execute(
                sa.text("SELECT min(note_id) FROM public.client_session_notes")
            ).scalar_one()
        with UnitOfWork(engine) as uow:
            assert open_note(uow, actor, note_id=note_id).note_id == note_id
    finally:
        engine.dispose()
