"""CredentialStore over fake keyring backends: round trips, servers kept apart, and every way a keyring fails."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.compat.properties import classproperty
from keyring.errors import (
    InitError,
    KeyringError,
    KeyringLocked,
    PasswordDeleteError,
    PasswordSetError,
)

from backoffice.credentials import (
    DEMO_SERVER,
    SERVICE,
    Availability,
    CredentialStore,
    ServerKey,
    server_key,
)

SECRET = "s3cret-Pa55word!"
NO_KEYRING_SENTENCE = (
    "Passwords cannot be remembered on this machine: no system keyring is available."
)
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


@pytest.fixture
def caplog_debug(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="backoffice.credentials")
    return caplog


def _use_every_operation(store: CredentialStore) -> None:
    for _ in range(2):
        store.remember(CLINIC, "alice", SECRET)
        assert store.recall(CLINIC, "alice") is None
        store.forget(CLINIC, "alice")
        store.availability()


def _assert_secret_nowhere(store: CredentialStore, caplog: pytest.LogCaptureFixture) -> None:
    assert SECRET not in caplog.text
    assert all(SECRET not in repr(vars(record)) for record in caplog.records)
    assert all(record.exc_info is None for record in caplog.records)
    assert SECRET not in repr(store)


# Server keys


def test_server_key_names_host_port_and_database() -> None:
    assert CLINIC == "db.clinic.example:5432/clinic"


def test_server_key_uses_the_postgres_port_by_default() -> None:
    assert server_key(host="DB.Clinic.Example ", database="clinic") == CLINIC


def test_server_keys_differ_by_port_and_by_database() -> None:
    keys = {
        CLINIC,
        server_key(host="db.clinic.example", port=6432, database="clinic"),
        server_key(host="db.clinic.example", port=5432, database="clinic_test"),
        DEMO_SERVER,
    }
    assert len(keys) == 4


def test_server_key_of_a_socket_directory_keeps_its_case() -> None:
    assert server_key(host="/run/PG", database="clinic") == "/run/PG:5432/clinic"


def test_server_key_of_an_ipv6_host_is_bracketed() -> None:
    assert server_key(host="::1", database="clinic") == "[::1]:5432/clinic"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("a@h:5432/x", "h2", "db"), ("a", "h", "x@h2:5432/db")),
        (("a@b", "h2", "db"), ("a", "b@h2", "db")),
    ],
)
def test_odd_names_cannot_make_two_users_share_an_entry(
    first: tuple[str, str, str], second: tuple[str, str, str]
) -> None:
    backend = InMemoryKeyring()
    store = CredentialStore(backend)
    for user, host, database in (first, second):
        store.remember(server_key(host=host, database=database), user, f"password of {user}")
    assert len(backend.entries) == 2


@pytest.mark.parametrize(
    ("host", "port", "database"),
    [("", 5432, "clinic"), ("db", 5432, " "), ("db", 0, "clinic"), ("db", 70000, "clinic")],
)
def test_server_key_refuses_an_incomplete_server(host: str, port: int, database: str) -> None:
    with pytest.raises(ValueError):
        server_key(host=host, port=port, database=database)


# Working keyring


def test_remembered_password_is_recalled_for_the_same_user_and_server() -> None:
    store = CredentialStore(InMemoryKeyring())
    store.remember(CLINIC, "alice", SECRET)
    assert store.recall(CLINIC, "alice") == SECRET


def test_entry_is_readable_in_the_os_keyring_window() -> None:
    backend = InMemoryKeyring()
    CredentialStore(backend).remember(CLINIC, "alice", SECRET)
    assert backend.entries == {(SERVICE, "alice@db.clinic.example:5432/clinic"): SECRET}


def test_same_user_on_two_servers_has_two_entries() -> None:
    store = CredentialStore(InMemoryKeyring())
    store.remember(CLINIC, "alice", "on-clinic")
    store.remember(OTHER, "alice", "on-other")
    store.remember(DEMO_SERVER, "alice", "on-demo")
    assert store.recall(CLINIC, "alice") == "on-clinic"
    assert store.recall(OTHER, "alice") == "on-other"
    assert store.recall(DEMO_SERVER, "alice") == "on-demo"


def test_two_users_on_one_server_are_kept_apart() -> None:
    store = CredentialStore(InMemoryKeyring())
    store.remember(CLINIC, "alice", "alice-pw")
    assert store.recall(CLINIC, "bob") is None


def test_forgotten_password_is_no_longer_recalled_and_other_servers_keep_theirs() -> None:
    store = CredentialStore(InMemoryKeyring())
    store.remember(CLINIC, "alice", "on-clinic")
    store.remember(OTHER, "alice", "on-other")
    store.forget(CLINIC, "alice")
    assert store.recall(CLINIC, "alice") is None
    assert store.recall(OTHER, "alice") == "on-other"


def test_remembering_again_replaces_the_old_password() -> None:
    store = CredentialStore(InMemoryKeyring())
    store.remember(CLINIC, "alice", "old")
    store.remember(CLINIC, "alice", "new")
    assert store.recall(CLINIC, "alice") == "new"


def test_forgetting_a_password_never_remembered_is_harmless() -> None:
    store = CredentialStore(InMemoryKeyring())
    store.forget(CLINIC, "alice")
    assert store.availability() == Availability(available=True, message=None)


def test_an_empty_user_or_password_never_reaches_the_keyring() -> None:
    backend = InMemoryKeyring()
    store = CredentialStore(backend)
    store.remember(CLINIC, "", SECRET)
    store.remember(CLINIC, "alice", "")
    assert store.recall(CLINIC, "") is None
    store.forget(CLINIC, "")
    assert backend.calls == []


def test_asking_availability_does_not_touch_the_keyring() -> None:
    backend = LockedKeyring()
    assert CredentialStore(backend).availability().available
    assert backend.calls == []


def test_without_an_injected_backend_the_keyring_default_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backend = InMemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    CredentialStore().remember(CLINIC, "alice", SECRET)
    assert list(backend.entries.values()) == [SECRET]


def test_a_chainer_with_a_real_backend_is_available(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = InMemoryKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [backend])
    store = CredentialStore(chainer.ChainerBackend())
    store.remember(CLINIC, "alice", SECRET)
    assert store.recall(CLINIC, "alice") == SECRET


# No keyring at all


@pytest.fixture(params=["fail", "null", "empty chainer", "default is fail", "default raises"])
def no_backend_store(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> CredentialStore:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    if request.param == "default is fail":
        monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
        return CredentialStore()
    if request.param == "default raises":
        monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring().get_password("s", "u"))
        return CredentialStore()
    backends: dict[str, Callable[[], KeyringBackend]] = {
        "fail": fail.Keyring,
        "null": null.Keyring,
        "empty chainer": chainer.ChainerBackend,
    }
    return CredentialStore(backends[request.param]())


def test_without_a_keyring_the_store_says_so_in_one_sentence(
    no_backend_store: CredentialStore, caplog_debug: pytest.LogCaptureFixture
) -> None:
    assert no_backend_store.availability() == Availability(
        available=False, message=NO_KEYRING_SENTENCE
    )


def test_without_a_keyring_nothing_raises_and_nothing_is_recalled(
    no_backend_store: CredentialStore, caplog_debug: pytest.LogCaptureFixture
) -> None:
    _use_every_operation(no_backend_store)
    assert caplog_debug.text.count(NO_KEYRING_SENTENCE) == 1
    _assert_secret_nowhere(no_backend_store, caplog_debug)


def test_the_no_keyring_sentence_is_reported_once_to_the_listener() -> None:
    heard: list[str] = []
    store = CredentialStore(fail.Keyring(), on_unavailable=heard.append)
    _use_every_operation(store)
    assert heard == [NO_KEYRING_SENTENCE]


# Locked keyring


def test_a_locked_keyring_makes_the_store_unavailable_with_one_sentence(
    caplog_debug: pytest.LogCaptureFixture,
) -> None:
    heard: list[str] = []
    store = CredentialStore(LockedKeyring(), on_unavailable=heard.append)
    assert store.recall(CLINIC, "alice") is None
    availability = store.availability()
    assert not availability.available
    assert availability.message == (
        "Passwords cannot be remembered on this machine: the system keyring is locked and was not unlocked."
    )
    _use_every_operation(store)
    assert heard == [availability.message]
    assert caplog_debug.text.count(availability.message) == 1


def test_a_locked_keyring_refusing_to_store_never_leaks_the_password(
    caplog_debug: pytest.LogCaptureFixture,
) -> None:
    store = CredentialStore(LockedKeyring())
    store.remember(CLINIC, "alice", SECRET)
    assert not store.availability().available
    _assert_secret_nowhere(store, caplog_debug)


def test_two_threads_failing_at_once_report_once() -> None:
    both_inside = threading.Barrier(2, timeout=5)

    class SlowLockedKeyring(LockedKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            both_inside.wait()
            return super().get_password(service, username)

    heard: list[str] = []
    store = CredentialStore(SlowLockedKeyring(), on_unavailable=heard.append)
    threads = [threading.Thread(target=store.recall, args=(CLINIC, "alice")) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(heard) == 1


def test_once_unavailable_the_keyring_is_left_alone() -> None:
    backend = LockedKeyring()
    store = CredentialStore(backend)
    store.recall(CLINIC, "alice")
    _use_every_operation(store)
    assert backend.calls == ["get"]


def test_once_unavailable_a_keyring_that_recovers_is_not_used_again() -> None:
    backend = InMemoryKeyring()
    backend.entries[(SERVICE, "alice@" + CLINIC)] = SECRET
    store = CredentialStore(backend)
    store.forget(ServerKey("x"), "alice")  # fine: nothing to forget
    healthy_get = backend.get_password
    backend.get_password = LockedKeyring().get_password  # type: ignore[method-assign]
    assert store.recall(CLINIC, "alice") is None
    backend.get_password = healthy_get  # type: ignore[method-assign]
    store.remember(CLINIC, "alice", "new")
    assert store.recall(CLINIC, "alice") is None
    assert backend.entries[(SERVICE, "alice@" + CLINIC)] == SECRET


# Failing keyring


FAILURES = [KeyringError, PasswordSetError, InitError, PasswordDeleteError, OSError, RuntimeError]


@pytest.mark.parametrize("error_type", FAILURES, ids=lambda error: error.__name__)
def test_a_failing_keyring_is_reported_once_and_never_raises(
    error_type: type[Exception], caplog_debug: pytest.LogCaptureFixture
) -> None:
    heard: list[str] = []
    store = CredentialStore(FailingKeyring(error_type), on_unavailable=heard.append)
    store.remember(CLINIC, "alice", SECRET)
    _use_every_operation(store)
    message = (
        "Passwords cannot be remembered on this machine: the system keyring reported an error."
    )
    assert store.availability() == Availability(available=False, message=message)
    assert heard == [message]
    assert caplog_debug.text.count(message) == 1


@pytest.mark.parametrize("error_type", FAILURES, ids=lambda error: error.__name__)
@pytest.mark.parametrize("operation", ["remember", "recall"])
def test_a_failing_keyring_never_leaks_the_password_or_its_own_message(
    error_type: type[Exception], operation: str, caplog_debug: pytest.LogCaptureFixture
) -> None:
    store = CredentialStore(FailingKeyring(error_type))
    if operation == "remember":
        store.remember(CLINIC, "alice", SECRET)
    else:
        store.recall(CLINIC, "alice")
    assert not store.availability().available
    _assert_secret_nowhere(store, caplog_debug)
    assert "login.keyring" not in caplog_debug.text


def test_a_failing_listener_does_not_break_the_caller() -> None:
    def listener(message: str) -> None:
        raise RuntimeError("listener bug")

    store = CredentialStore(fail.Keyring(), on_unavailable=listener)
    assert store.recall(CLINIC, "alice") is None
