"""Fake keyring backends for the credential tests (in memory, locked, failing), and the fixture that
fails any test reaching the machine's real keyring."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.compat.properties import classproperty
from keyring.errors import KeyringLocked, PasswordDeleteError

from backoffice.credentials import server_key

SECRET = "s3cret-Pa55word!"
CLINIC = server_key(host="db.clinic.example", port=5432, database="clinic")
OTHER = server_key(host="db.other.example", port=5432, database="clinic")


class _FakeBackend(KeyringBackend):
    """Base of the fakes: never viable, so keyring itself can never pick one as the default backend."""

    @classproperty
    def priority(cls) -> float:
        raise RuntimeError("test fake: only used when injected")

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []


class InMemoryKeyring(_FakeBackend):
    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append("get")
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append("set")
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append("delete")
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(f"No such password for {username}")


class LockedKeyring(_FakeBackend):
    """A keyring whose unlock prompt the user dismissed."""

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append("get")
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append("set")
        raise KeyringLocked(f"Failed to unlock the collection to store {password}!")

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append("delete")
        raise KeyringLocked("Failed to unlock the collection!")


class FailingKeyring(_FakeBackend):
    """A backend that fails with `error_type`, putting the password and a path in the message as some do."""

    def __init__(self, error_type: type[Exception]) -> None:
        super().__init__()
        self.error_type = error_type

    def _raise(self, detail: str) -> None:
        raise self.error_type(f"{detail} in /home/alice/.local/share/keyrings/login.keyring")

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append("get")
        self._raise(f"cannot read secret {SECRET!r}")
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append("set")
        self._raise(f"cannot store secret {password!r}")

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append("delete")
        self._raise(f"cannot delete secret {SECRET!r}")


@pytest.fixture(autouse=True)
def real_keyring_untouched(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that reaches the machine's real keyring (the store itself swallows the error)."""
    touched: list[str] = []

    def forbidden(*args: object, **kwargs: object) -> None:
        touched.append("real keyring")
        raise AssertionError("unit tests must not touch the real keyring")

    for module in (keyring, keyring.core):
        for name in (
            "get_keyring",
            "set_keyring",
            "get_password",
            "set_password",
            "delete_password",
        ):
            monkeypatch.setattr(module, name, forbidden)
    yield
    assert not touched, "a unit test reached the real keyring"
