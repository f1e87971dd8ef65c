"""Helpers for tests that need real PostgreSQL databases: create, clone, drop."""

from __future__ import annotations

import contextlib
import uuid

import psycopg
from sqlalchemy.engine import URL


def libpq_conninfo(url: URL) -> str:
    """A psycopg connection string for a SQLAlchemy URL (keeps socket `host=` query parameters)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def create_database(superuser_url: URL, name: str, *, template: str | None = None) -> URL:
    with psycopg.connect(libpq_conninfo(superuser_url), autocommit=True) as conn:
        sql = f'CREATE DATABASE "{name}"'
        if template:
            sql += f' TEMPLATE "{template}"'
        conn.execute(sql)
    return superuser_url.set(database=name)


def drop_database(superuser_url: URL, name: str) -> None:
    """Drop the database, then the group roles `db provision` made for it (unless still in use)."""
    groups = _group_roles(superuser_url.set(database=name))
    with psycopg.connect(libpq_conninfo(superuser_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for group in groups:
            # A copy of this database may still grant it something: then it stays.
            with contextlib.suppress(psycopg.errors.DependentObjectsStillExist):
                conn.execute(f'DROP ROLE IF EXISTS "{group}"')


def _group_roles(url: URL) -> list[str]:
    try:
        with psycopg.connect(libpq_conninfo(url)) as conn:
            rows = conn.execute("SELECT role_name FROM backoffice.group_roles").fetchall()
    except (
        psycopg.OperationalError,
        psycopg.errors.UndefinedTable,
        psycopg.errors.InvalidSchemaName,
    ):
        return []
    return [row[0] for row in rows]
