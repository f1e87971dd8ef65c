"""A staff login the test server trusts (no password asked), made by editing its pg_hba.conf."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from backoffice.owner.staff_logins import add_staff
from tests.conftest import DemoDatabase
from tests.pg import libpq_conninfo, unique_name


@pytest.fixture(name="trusted_finance_login")
def trusted_finance_login_fixture(pg_superuser_url: URL, demo_clone: DemoDatabase) -> Iterator[URL]:
    """A finance login on a private demo clinic, which the server lets in without a password.

    Yields its URL, with no password in it.
    """
    login = unique_name("trusted_finance")
    engine = sa.create_engine(demo_clone.owner_url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        add_staff(conn, username=login, role="finance", password=secrets.token_urlsafe(16))
    url = demo_clone.direct_login_url(login, None)  # pg_hba.conf is the server's, not a pooler's
    try:
        with trusting(pg_superuser_url, login):
            _wait_until_trusted(url)
            yield url
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP OWNED BY "{login}"'))
            conn.execute(sa.text(f'DROP ROLE "{login}"'))
        engine.dispose()


@contextmanager
def trusting(superuser_url: URL, login: str) -> Iterator[None]:
    """`trust` for this one login, on the socket and on loopback, put first in pg_hba.conf."""
    with psycopg.connect(libpq_conninfo(superuser_url), autocommit=True) as conn:
        hba = Path(conn.execute("SHOW hba_file").fetchone()[0])
        try:
            original = hba.read_text()
        except OSError:
            pytest.skip("this test server's pg_hba.conf cannot be edited from here")
        rules = "".join(
            f"{kind} all {login} {where} trust\n".replace("  ", " ")
            for kind, where in (("local", ""), ("host", "127.0.0.1/32"), ("host", "::1/128"))
        )
        _reload(conn, hba, rules + original)
        try:
            yield
        finally:
            _reload(conn, hba, original)


def _wait_until_trusted(url: URL) -> None:
    # The postmaster signals the sessions before it reads pg_hba.conf: try until it has.
    for _ in range(500):
        try:
            psycopg.connect(libpq_conninfo(url), connect_timeout=5).close()
            return
        except psycopg.OperationalError:
            continue
    raise AssertionError(f"the server does not trust {url.username}")


def _reload(conn: psycopg.Connection, hba: Path, text: str) -> None:
    """Write pg_hba.conf and wait until the server has loaded it (new connections follow it)."""
    before = conn.execute("SELECT pg_conf_load_time()").fetchone()[0]
    hba.write_text(text)
    conn.execute("SELECT pg_reload_conf()")
    for _ in range(500):
        if conn.execute("SELECT pg_conf_load_time()").fetchone()[0] > before:
            return
        conn.execute("SELECT pg_sleep(0.01)")
    raise AssertionError("the server did not reload its configuration")
