"""The tiny demo clinic loaded into a fresh database of its own, and plain-SQL helpers to read it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import URL

from backoffice import migrations
from backoffice.demo import TINY, DemoSummary, load_demo_clinic
from backoffice.models.clinic_functions import create_clinic_schema
from tests.pg import create_database, drop_database, libpq_conninfo, unique_name

TODAY = dt.date(2026, 1, 15)


def create_schemas(url: URL) -> None:
    engine = create_engine(url, hide_parameters=True)
    try:
        with engine.begin() as connection:
            create_clinic_schema(connection)
            migrations.upgrade(connection)
    finally:
        engine.dispose()


def load_tiny(url: URL, *, seed: int = 2026) -> DemoSummary:
    create_schemas(url)
    with psycopg.connect(libpq_conninfo(url)) as conn:
        return load_demo_clinic(conn, TINY, seed=seed, today=TODAY)


@pytest.fixture(scope="module", name="tiny")
def tiny_fixture(pg_superuser_url: URL) -> Iterator[tuple[psycopg.Connection, DemoSummary]]:
    name = unique_name("demo")
    url = create_database(pg_superuser_url, name)
    try:
        summary = load_tiny(url)
        with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
            yield conn, summary
    finally:
        drop_database(pg_superuser_url, name)


def rows(conn: psycopg.Connection, query: str, *params: object) -> list[tuple]:
    return conn.execute(query, params or None).fetchall()


def value(conn: psycopg.Connection, query: str, *params: object) -> object:
    return conn.execute(query, params or None).fetchone()[0]
