"""Helpers for the therapist and transfer tests on the tiny demo clinic: raw reads, and the demo
client whose sessions straddle "now" (some held, some to come) that most transfer tests move.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from backoffice.db import UnitOfWork, create_engine
from backoffice.services.login import identify
from tests.conftest import DEMO_PASSWORDS, DemoDatabase
from tests.pg import libpq_conninfo

OLD = "58001"  # demo_therapist's therapist id (capacity 28)
NEW = "58002"  # demo_therapist2's (capacity 19, few clients with sessions to come)
ROOMY = "58006"  # capacity 33


def rows(conn: Connection, sql: str, **params: Any) -> list[sa.Row[Any]]:
    return list(conn.execute(sa.text(sql), params))


def value(conn: Connection, sql: str, **params: Any) -> Any:
    return conn.execute(sa.text(sql), params).scalar()


def straddling_client(conn: Connection, therapist_id: str = OLD) -> str:
    """A client of `therapist_id` with sessions before and after now (and more than one to come)."""
    found = value(
        conn,
        "SELECT c.client_id FROM all_clients_table c WHERE c.therapist_id = :t "
        "AND (SELECT count(*) FROM appointment_table a WHERE a.client_id = c.client_id "
        "     AND a.session_timings >= now() AT TIME ZONE 'Asia/Kolkata' + interval '1 day') >= 2 "
        "AND EXISTS (SELECT 1 FROM appointment_table a WHERE a.client_id = c.client_id "
        "     AND a.session_timings < now() AT TIME ZONE 'Asia/Kolkata' - interval '1 day') "
        "ORDER BY c.client_id LIMIT 1",
        t=therapist_id,
    )
    assert found, f"the demo clinic has no straddling client of {therapist_id}"
    return str(found)


def sessions_of(conn: Connection, client_id: str) -> dict[str, tuple[Any, str | None]]:
    """Every appointment and booking of the client: 'a:<id>'/'b:<id>' -> (start, therapist)."""
    found = {}
    for row in rows(
        conn,
        "SELECT session_id, session_timings, therapist_id FROM appointment_table "
        "WHERE client_id = :c",
        c=client_id,
    ):
        found[f"a:{row[0]}"] = (row[1], row[2])
    for row in rows(
        conn,
        "SELECT booking_id, booking_start_at, therapist_id FROM bookings WHERE invitee_id = :c "
        "OR booking_id IN (SELECT session_id FROM appointment_table WHERE client_id = :c)",
        c=client_id,
    ):
        found[f"b:{row[0]}"] = (row[1], row[2])
    return found


@contextmanager
def admin_engine(db: DemoDatabase, login: str = "demo_admin") -> Iterator[Engine]:
    """An engine of the demo login's own connections (for tests that commit on a clone)."""
    engine = create_engine(db.login_url(login, DEMO_PASSWORDS[login]), pool_size=2)
    try:
        yield engine
    finally:
        engine.dispose()


def actor_of(db: DemoDatabase, login: str = "demo_admin"):  # type: ignore[no-untyped-def]
    url = db.login_url(login, DEMO_PASSWORDS[login])
    engine = create_engine(url, poolclass=sa.NullPool)
    try:
        return identify(engine, url)
    finally:
        engine.dispose()


def owner(db: DemoDatabase) -> psycopg.Connection:
    return psycopg.connect(libpq_conninfo(db.owner_url), autocommit=True)


def uow_of(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)
