"""Fixtures for offline copies without a server: a private data directory and HOME, a fake keyring,
a clock the test sets, and a copy of the synthetic caseload written there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from backoffice.services.offline import DeviceSecrets, OfflineCopy, moments, open_copy
from backoffice.services.offline.copies import put_copy
from backoffice.services.offline.types import CopyInfo
from tests.offline_data import PASSWORD, SERVER, TAKEN_UTC, THERAPIST, snapshot
from tests.unit.keyring_fakes import InMemoryKeyring


@dataclass
class Clock:
    now: dt.datetime

    def move(self, **delta: float) -> None:
        self.now = self.now + dt.timedelta(**delta)


@pytest.fixture(name="places")
def places_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(data directory, HOME), both private to the test."""
    data, home = tmp_path / "data", tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("BACKOFFICE_DATA_DIR", str(data))
    monkeypatch.setenv("HOME", str(home))
    return data, home


@pytest.fixture(name="clock")
def clock_fixture(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """This computer's clock, an hour after the synthetic copy was taken."""
    clock = Clock(TAKEN_UTC + dt.timedelta(hours=1))
    monkeypatch.setattr(moments, "utc_now", lambda: clock.now)
    return clock


@pytest.fixture(name="keyring_backend")
def keyring_backend_fixture() -> InMemoryKeyring:
    return InMemoryKeyring()


@pytest.fixture(name="secrets")
def secrets_fixture(keyring_backend: InMemoryKeyring) -> DeviceSecrets:
    return DeviceSecrets(keyring_backend)


@pytest.fixture(name="taken")
def taken_fixture(
    places: tuple[Path, Path], clock: Clock, secrets: DeviceSecrets
) -> Iterator[CopyInfo]:
    """The synthetic caseload written as THERAPIST's copy on this computer."""
    yield put_copy(snapshot(), server=SERVER, password=PASSWORD, secrets=secrets)


def opened_copy(secrets: DeviceSecrets, password: str = PASSWORD) -> OfflineCopy:
    return open_copy(server=SERVER, login=THERAPIST.login_role, password=password, secrets=secrets)
