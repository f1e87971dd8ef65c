"""Fixtures: one real PostgreSQL server per run (embedded, or BACKOFFICE_TEST_DATABASE_URL).

- `pg_superuser_url`: the server's superuser, on its `postgres` database.
- `fresh_database_url`: an empty database for one test, dropped afterwards.
- `demo_database`: the tiny demo clinic, provisioned, with the demo logins (shared: don't change it).
- `demo_clone`: a private copy of it for a test that commits.
- `staff`: `staff("demo_finance")` acts as a demo login on the shared clinic, rolled back afterwards.
- `pgbouncer`: a PgBouncer in transaction pooling in front of the server (started on first use).
- `login_route`: how login URLs reach the server: directly, or through `pgbouncer` when
  BACKOFFICE_TEST_VIA_PGBOUNCER=1 (the demo clinic's and the secured clinic's login URLs use it;
  owner and superuser URLs always go straight to the server).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine

from backoffice.db import UnitOfWork, create_engine, parse_url
from backoffice.demo.build import build_demo_database
from backoffice.demo.server import EmbeddedServer
from backoffice.services.login import ServerProfile, identify
from backoffice.services.permissions import Actor
from tests import pgbouncer as bouncer
from tests.pg import create_database, drop_database, unique_name

pytest_plugins = ["tests.secret_service"]  # the `secret_service` fixture: a real GNOME Keyring


@pytest.fixture(scope="session")
def pg_superuser_url() -> Iterator[URL]:
    external = os.environ.get("BACKOFFICE_TEST_DATABASE_URL")
    if external:
        yield parse_url(external)
        return
    # Not under pytest's tmp_path: pytest keeps that 0700 for root, and the server runs as
    # another system user when the tests run as root.
    server = EmbeddedServer(Path(tempfile.mkdtemp(prefix="backoffice-test-pg-")))
    server.start()
    try:
        yield server.superuser_url()
    finally:
        server.delete()
        server.data_dir.rmdir()


@pytest.fixture(scope="session")
def pgbouncer(pg_superuser_url: URL) -> Iterator[bouncer.PgBouncer]:
    if not bouncer.available():
        pytest.skip("pgbouncer is not installed (.ci/install-system-packages installs it)")
    # The security suite SETs session state on purpose (a therapist trying row_security = off):
    # reset after each transaction so that it does not follow the login into its next test.
    # Pools as large as the suite's biggest race (20 transactions held open at once).
    pooler = bouncer.PgBouncer(pg_superuser_url, pool_size=25, reset_always=True)
    pooler.start()
    try:
        yield pooler
    finally:
        pooler.delete()


@pytest.fixture(scope="session")
def login_route(request: pytest.FixtureRequest) -> bouncer.Route:
    if not bouncer.wanted():
        return bouncer.direct
    pooler: bouncer.PgBouncer = request.getfixturevalue("pgbouncer")
    return pooler.url


@pytest.fixture
def fresh_database_url(pg_superuser_url: URL) -> Iterator[URL]:
    name = unique_name("fresh")
    url = create_database(pg_superuser_url, name)
    try:
        yield url
    finally:
        drop_database(pg_superuser_url, name)


@dataclass(frozen=True)
class DemoDatabase:
    """The tiny demo clinic, built by the same code as `backoffice demo`, with its demo logins."""

    owner_url: URL
    route: bouncer.Route = bouncer.direct  # the login URLs' way to the server (`login_route`)

    @property
    def via_pooler(self) -> bool:
        return self.route is not bouncer.direct

    def login_url(self, username: str, password: str | None) -> URL:
        return self.route(self.direct_login_url(username, password))

    def direct_login_url(self, username: str, password: str | None) -> URL:
        """The login straight to the server, whatever BACKOFFICE_TEST_VIA_PGBOUNCER says."""
        # Built afresh: URL.set(password=None) would keep the owner's password.
        url = self.owner_url
        return URL.create(
            url.drivername,
            username=username,
            password=password,
            host=url.host,
            port=url.port,
            database=url.database,
            query=url.query,
        )

    def group(self, kind: str) -> str:
        """This clinic's group role of that kind, as `db provision` named it."""
        from backoffice.owner.provisioning.groups import clinic_groups

        engine = sa.create_engine(self.owner_url, poolclass=sa.NullPool, hide_parameters=True)
        try:
            with engine.connect() as conn:
                return clinic_groups(conn).of(kind)
        finally:
            engine.dispose()

    def profile(self) -> ServerProfile:
        url = self.route(self.owner_url)
        if url.host:
            return ServerProfile(
                host=url.host, port=url.port or 5432, database=url.database or "", sslmode="prefer"
            )
        return ServerProfile(
            host=str(url.query["host"]), port=None, database=url.database or "", is_demo=True
        )


@pytest.fixture(scope="session")
def demo_template(pg_superuser_url: URL) -> Iterator[str]:
    """The tiny demo clinic, built once; nobody connects to it, so it can be cloned."""
    name = unique_name("demo_template")
    url = create_database(pg_superuser_url, name)
    try:
        build_demo_database(url, "tiny", progress=lambda _message: None)
        yield name
    finally:
        drop_database(pg_superuser_url, name)


@pytest.fixture(scope="session")
def demo_database(
    pg_superuser_url: URL, demo_template: str, login_route: bouncer.Route
) -> Iterator[DemoDatabase]:
    """A clone of the tiny demo clinic shared by the whole run: read from it, don't change it."""
    yield from _clone(pg_superuser_url, demo_template, "demo_shared", login_route)


@pytest.fixture
def demo_clone(
    pg_superuser_url: URL, demo_template: str, login_route: bouncer.Route
) -> Iterator[DemoDatabase]:
    """A clone of the tiny demo clinic for one test, which may commit whatever it likes."""
    yield from _clone(pg_superuser_url, demo_template, "demo_clone", login_route)


def _clone(
    superuser_url: URL, template: str, prefix: str, route: bouncer.Route
) -> Iterator[DemoDatabase]:
    name = unique_name(prefix)
    pooler = getattr(route, "__self__", None)  # PgBouncer.url when the run goes through it
    if isinstance(pooler, bouncer.PgBouncer):
        pooler.add_database()
    url = create_database(superuser_url, name, template=template)
    try:
        yield DemoDatabase(url, route)
    finally:
        drop_database(superuser_url, name)


DEMO_PASSWORDS = {
    "demo_admin": "demo-admin-pass",
    "demo_finance": "demo-finance-pass",
    "demo_therapist": "demo-therapist-pass",
    "demo_therapist2": "demo-therapist-pass",
    "demo_therapist3": "demo-therapist-pass",
}


@dataclass
class StaffContext:
    """A demo login's own connection (its grants and row security apply), inside a transaction
    that the fixture rolls back: `ctx.uow()` gives units of work whose commit() is a savepoint."""

    actor: Actor
    connection: Connection

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.connection)


@pytest.fixture
def staff(demo_database: DemoDatabase) -> Iterator[Callable[[str], StaffContext]]:
    """`staff("demo_admin")`: act as that demo login on the shared demo clinic; nothing persists."""
    opened: list[tuple[Engine, Connection]] = []

    def act_as(login: str) -> StaffContext:
        url = demo_database.login_url(login, DEMO_PASSWORDS[login])
        engine = create_engine(url, poolclass=sa.NullPool)
        actor = identify(engine, url)
        connection = engine.connect()
        connection.begin()
        opened.append((engine, connection))
        return StaffContext(actor, connection)

    yield act_as
    for engine, connection in opened:
        connection.rollback()
        connection.close()
        engine.dispose()
