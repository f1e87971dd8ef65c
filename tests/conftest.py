"""Fixtures: one real PostgreSQL server per run (embedded, or BACKOFFICE_TEST_DATABASE_URL).

- `pg_superuser_url`: the server's superuser, on its `postgres` database.
- `fresh_database_url`: an empty database for one test, dropped afterwards.
- `demo_database`: the tiny demo clinic, provisioned, with the demo logins (shared: don't change it).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from backoffice.db import parse_url
from backoffice.demo_clinic import build_demo_database
from backoffice.embedded import EmbeddedServer
from backoffice.services.session import ServerProfile
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

    def login_url(self, username: str, password: str) -> URL:
        return self.owner_url.set(username=username, password=password)

    def profile(self) -> ServerProfile:
        url = self.owner_url
        if url.host:
            return ServerProfile(
                host=url.host, port=url.port or 5432, database=url.database or "", sslmode="prefer"
            )
        return ServerProfile(
            host=str(url.query["host"]), port=None, database=url.database or "", is_demo=True
        )


@pytest.fixture(scope="session")
def demo_database(pg_superuser_url: URL) -> Iterator[DemoDatabase]:
    name = unique_name("demo_tiny")
    url = create_database(pg_superuser_url, name)
    try:
        build_demo_database(url, "tiny", progress=lambda _message: None)
        yield DemoDatabase(url)
    finally:
        drop_database(pg_superuser_url, name)
