"""Through PgBouncer in transaction pooling: each login stays itself, row security holds, few
server connections serve many clients, and a restarted pooler is reconnected to.

PgBouncer pools per (database, login), so `session_user`, on which row security keys, is the
person's own role on every server connection a transaction lands on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from backoffice.db import UnitOfWork, create_engine
from backoffice.errors import DatabaseUnavailable
from backoffice.services.dashboard import get_dashboard
from backoffice.services.login import ServerProfile, identify, open_session
from tests.conftest import DEMO_PASSWORDS, DemoDatabase
from tests.pg import libpq_conninfo
from tests.pgbouncer import PgBouncer, available

pytestmark = pytest.mark.skipif(not available(), reason="pgbouncer is not installed")

THERAPISTS = ("demo_therapist", "demo_therapist2")


@pytest.fixture
def private_pooler(pg_superuser_url: URL) -> Iterator[Callable[..., PgBouncer]]:
    """`private_pooler(pool_size=1, max_db_connections=2)`: a PgBouncer for this test alone."""
    started: list[PgBouncer] = []

    def start(**settings: int) -> PgBouncer:
        pooler = PgBouncer(pg_superuser_url, **settings)
        pooler.start()
        started.append(pooler)
        return pooler

    yield start
    for pooler in started:
        pooler.delete()


def login(demo: DemoDatabase, name: str) -> URL:
    return demo.direct_login_url(name, DEMO_PASSWORDS[name])


def connect(url: URL) -> psycopg.Connection:
    return psycopg.connect(libpq_conninfo(url), prepare_threshold=None)


def server_connections(owner_url: URL, usernames: tuple[str, ...]) -> int:
    with psycopg.connect(libpq_conninfo(owner_url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND usename = ANY(%s)",
            (owner_url.database, list(usernames)),
        ).fetchone()
    return int(row[0]) if row else 0


class Peak:
    """Samples the server connections of some logins on a thread until stopped."""

    def __init__(self, owner_url: URL, usernames: tuple[str, ...]) -> None:
        self.highest, self._stop = 0, threading.Event()
        self._args = (owner_url, usernames)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.highest = max(self.highest, server_connections(*self._args))

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.highest


def test_a_login_through_the_pooler_is_itself_on_the_server(demo_database, pgbouncer):
    url = pgbouncer.url(login(demo_database, "demo_finance"))
    with connect(url) as conn:
        assert conn.execute("SELECT session_user, current_user").fetchone() == (
            "demo_finance",
            "demo_finance",
        )
    with pytest.raises(psycopg.OperationalError, match="authentication failed"):
        connect(url.set(password="not-the-password"))


def test_a_therapist_through_the_pooler_sees_exactly_their_caseload(demo_database, pgbouncer):
    direct = login(demo_database, "demo_therapist")
    engine = create_engine(pgbouncer.url(direct), poolclass=sa.NullPool)
    actor = identify(engine, pgbouncer.url(direct))
    query = "SELECT client_id, therapist_id FROM public.all_clients_table ORDER BY client_id"
    with connect(direct) as conn:
        expected = conn.execute(query).fetchall()
    with engine.connect() as conn:
        pooled = [tuple(row) for row in conn.execute(sa.text(query))]
    engine.dispose()
    assert pooled == expected and pooled
    assert {therapist for _, therapist in pooled} == {actor.therapist_id}


def test_interleaved_transactions_of_two_logins_never_see_each_others_rows(
    demo_clone, private_pooler
):
    # One server connection per login and two in all: every client of a login takes turns on
    # the same server connection, and the two logins' transactions run side by side.
    pooler = private_pooler(pool_size=1, max_db_connections=2)
    own = {name: _own_therapist(demo_clone, name) for name in THERAPISTS}
    seen: list[tuple[str, str, frozenset[str]]] = []
    peak = Peak(demo_clone.owner_url, THERAPISTS)
    threads = [
        threading.Thread(target=_take_turns, args=(pooler.url(login(demo_clone, n)), n, seen))
        for n in THERAPISTS
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak.stop() <= 2
    assert len(seen) == len(threads) * 15
    for name, session_user, visible in seen:
        assert session_user == name
        assert visible == {own[name]}


def _own_therapist(demo: DemoDatabase, name: str) -> str:
    url = login(demo, name)
    engine = create_engine(url, poolclass=sa.NullPool)
    try:
        therapist = identify(engine, url).therapist_id
    finally:
        engine.dispose()
    assert therapist is not None
    return therapist


def _take_turns(url: URL, name: str, seen: list[tuple[str, str, frozenset[str]]]) -> None:
    with connect(url) as conn:
        for _ in range(15):
            with conn.transaction():
                (session_user,) = conn.execute("SELECT session_user").fetchone() or ("",)
                time.sleep(0.005)  # hold the server connection while the other login works
                rows = conn.execute("SELECT DISTINCT therapist_id FROM public.bookings").fetchall()
            seen.append((name, str(session_user), frozenset(str(r[0]) for r in rows)))


def test_forty_concurrent_readers_are_served_by_five_server_connections(demo_clone, private_pooler):
    pooler = private_pooler(pool_size=5)
    url = pooler.url(login(demo_clone, "demo_admin"))
    engine = create_engine(url, pool_size=40, max_overflow=0)
    actor = identify(engine, url)
    start, figures = threading.Barrier(40), []

    def read() -> None:
        start.wait()
        for _ in range(3):
            with UnitOfWork(engine) as uow:
                figures.append(get_dashboard(uow, actor))

    peak = Peak(demo_clone.owner_url, ("demo_admin",))
    readers = [threading.Thread(target=read) for _ in range(40)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    used = peak.stop()
    engine.dispose()
    assert len(figures) == 120
    assert 1 <= used <= 5


def test_statements_run_many_times_through_the_pooler_never_meet_a_missing_prepared_one(
    demo_database, private_pooler
):
    pooler = private_pooler(pool_size=2)
    url = pooler.url(login(demo_database, "demo_admin"))
    engines = [create_engine(url, pool_size=1, max_overflow=0) for _ in range(3)]
    failures: list[BaseException] = []

    def repeat(engine: sa.Engine) -> None:
        try:
            for _ in range(20):
                with engine.begin() as conn:
                    conn.execute(sa.text("SELECT count(*) FROM public.payments WHERE amount > :a"),
                                 {"a": 0})  # fmt: skip
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=repeat, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert failures == []


def test_the_window_carries_on_after_the_pooler_restarts(demo_database, private_pooler):
    pooler = private_pooler()
    profile = ServerProfile(
        host="127.0.0.1", port=pooler.port, database=demo_database.owner_url.database or "",
        sslmode="disable",
    )  # fmt: skip
    session = open_session(profile, username="demo_admin", password=DEMO_PASSWORDS["demo_admin"])
    try:
        session.ping()
        pooler.restart()  # every client connection is dropped
        session.ping()  # the pool's idle connection is found dead and replaced
        uow = session.unit_of_work()
        with pytest.raises(DatabaseUnavailable, match=r"connection .* was lost"), uow:
            uow.session.execute(sa.text("SELECT 1"))
            pooler.restart()  # in the middle of a transaction
            uow.session.execute(sa.text("SELECT 1"))
        with session.unit_of_work() as uow:
            assert uow.session.execute(sa.text("SELECT session_user")).scalar() == "demo_admin"
    finally:
        session.close()
