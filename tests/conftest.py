"""Fixtures: one real PostgreSQL server per run (embedded, or BACKOFFICE_TEST_DATABASE_URL).

- `pg_superuser_url`: the server's superuser, on its `postgres` database.
- `fresh_database_url`: an empty database for one test, dropped afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import URL

from backoffice.db import parse_url
from backoffice.embedded import EmbeddedServer
from tests.pg import create_database, drop_database, unique_name


@pytest.fixture(scope="session")
def pg_superuser_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[URL]:
    external = os.environ.get("BACKOFFICE_TEST_DATABASE_URL")
    if external:
        yield parse_url(external)
        return
    server = EmbeddedServer(tmp_path_factory.mktemp("embedded-pg"))
    server.start()
    try:
        yield server.superuser_url()
    finally:
        server.delete()


@pytest.fixture
def fresh_database_url(pg_superuser_url: URL) -> Iterator[URL]:
    name = unique_name("fresh")
    url = create_database(pg_superuser_url, name)
    try:
        yield url
    finally:
        drop_database(pg_superuser_url, name)
