"""Offline copies of the tiny demo clinic's caseloads: a private clinic, data directory and HOME,
an in-memory keyring, and helpers to check out, open and sync as a demo login."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from backoffice.credentials import server_key
from backoffice.db import UnitOfWork
from backoffice.services.offline import (
    CheckoutResult,
    DeviceSecrets,
    OfflineCopy,
    SyncResult,
    checkout_caseload,
    open_copy,
    sync_caseload,
)
from backoffice.services.permissions import Actor
from tests.conftest import DEMO_PASSWORDS
from tests.integration.refund_fixtures import Clinic
from tests.integration.refund_fixtures import clinic_fixture as clinic_fixture
from tests.unit.keyring_fakes import InMemoryKeyring

SERVER = server_key(host="db.clinic.test", database="clinic")


@dataclass
class Offline:
    """`offline.checkout("demo_therapist")`, `offline.open(...)`, `offline.sync(...)` on `clinic`."""

    clinic: Clinic
    data: Path
    home: Path
    keyring: InMemoryKeyring

    @property
    def secrets(self) -> DeviceSecrets:
        return DeviceSecrets(self.keyring)

    def checkout(self, login: str, **options: Any) -> CheckoutResult:
        return self._online(checkout_caseload, login, **options)

    def sync(self, login: str, **options: Any) -> SyncResult:
        return self._online(sync_caseload, login, **options)

    def open(self, login: str) -> OfflineCopy:
        return open_copy(
            server=SERVER, login=login, password=DEMO_PASSWORDS[login], secrets=self.secrets
        )

    def _online(self, service: Callable[..., Any], login: str, **options: Any) -> Any:
        engine, actor = options.pop("via", None) or self.clinic.login(login)
        return self.run(service, engine, actor, login, **options)

    def run(
        self, service: Callable[..., Any], engine: Engine, actor: Actor, login: str, **options: Any
    ) -> Any:
        options.setdefault("password", DEMO_PASSWORDS[login])
        options.setdefault("secrets", self.secrets)
        return service(lambda: UnitOfWork(engine), actor, server=SERVER, **options)


@pytest.fixture(name="offline")
def offline_fixture(
    clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Offline]:
    data, home = tmp_path / "data", tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("BACKOFFICE_DATA_DIR", str(data))
    monkeypatch.setenv("HOME", str(home))
    yield Offline(clinic, data, home, InMemoryKeyring())
