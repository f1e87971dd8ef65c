"""What a database owner who is not a superuser (CREATEROLE, owner of the clinic database) can do:
provision, add staff, and disable a login with its open sessions ended once it holds
pg_signal_backend, which `db provision` asks a superuser for in one sentence when it cannot take it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from backoffice import migrations
from backoffice.owner.provisioning import provision
from backoffice.owner.staff_logins import add_staff, disable_staff
from tests.pg import drop_database, libpq_conninfo, unique_name

SEED_DDL = Path(__file__).parents[1] / "sql" / "clinic_seed_ddl.sql"
PASSWORD = "owner-password-1"


def _superuser(url: URL) -> psycopg.Connection:
    return psycopg.connect(libpq_conninfo(url), autocommit=True)


@pytest.fixture
def plain_owner(pg_superuser_url) -> Iterator[URL]:
    """A clinic database owned by a CREATEROLE login that is not a superuser."""
    owner, database = f"owner_{uuid.uuid4().hex[:8]}", unique_name("owned")
    with _superuser(pg_superuser_url) as su:
        su.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{PASSWORD}'")
        su.execute(f'CREATE DATABASE "{database}" OWNER {owner}')
    url = pg_superuser_url.set(username=owner, password=PASSWORD, database=database)
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        conn.execute(SEED_DDL.read_text())
    try:
        yield url
    finally:
        with _superuser(pg_superuser_url.set(database=database)) as su:
            logins = su.execute("SELECT login_role FROM backoffice.staff_accounts").fetchall()
        with _superuser(pg_superuser_url) as su:
            for (login,) in logins:
                su.execute(f'DROP ROLE IF EXISTS "{login}"')
        drop_database(pg_superuser_url, database)
        with _superuser(pg_superuser_url) as su:
            su.execute(f"DROP ROLE {owner}")


def _as_owner(url: URL, work):  # type: ignore[no-untyped-def]
    engine = sa.create_engine(url, poolclass=sa.NullPool, hide_parameters=True)
    try:
        with engine.begin() as conn:
            return work(conn)
    finally:
        engine.dispose()


def _open_clerk(url: URL) -> tuple[str, psycopg.Connection]:
    clerk = f"clerk_{uuid.uuid4().hex[:8]}"
    _as_owner(url, lambda c: add_staff(c, username=clerk, role="finance", password=PASSWORD))
    session = psycopg.connect(
        libpq_conninfo(url.set(username=clerk, password=PASSWORD)), autocommit=True
    )
    session.execute("SELECT count(*) FROM public.payments")
    return clerk, session


def test_an_owner_who_is_not_superuser_provisions_and_disable_ends_sessions_once_allowed(
    plain_owner, pg_superuser_url
):
    def upgrade_and_provision(conn):  # type: ignore[no-untyped-def]
        migrations.upgrade(conn)
        return provision(conn)

    report = _as_owner(plain_owner, upgrade_and_provision)
    owner = plain_owner.username
    asked = f"A superuser must run `GRANT pg_signal_backend TO {owner}`"
    with _superuser(pg_superuser_url) as su:
        version = int(su.execute("SHOW server_version_num").fetchone()[0])  # type: ignore[index]
    # From PostgreSQL 16 only a role's admins may grant it: CREATEROLE no longer takes it.
    assert any(asked in note for note in report.notes) or version < 160000
    if any(asked in note for note in report.notes):
        clerk, session = _open_clerk(plain_owner)
        with session:
            assert _as_owner(plain_owner, lambda c: disable_staff(c, username=clerk)) is False
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                session.execute("SELECT count(*) FROM public.payments")
        with _superuser(pg_superuser_url) as su:
            su.execute(f"GRANT pg_signal_backend TO {owner}")
        assert not any(asked in n for n in _as_owner(plain_owner, provision).notes)

    clerk, session = _open_clerk(plain_owner)
    with session:
        assert _as_owner(plain_owner, lambda c: disable_staff(c, username=clerk)) is True
        with pytest.raises(psycopg.OperationalError, match="terminating connection"):
            session.execute("SELECT count(*) FROM public.payments")
