"""CredentialStore when the keyring is missing, locked or failing: one sentence, reported once,
never an exception and never the password."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import InitError, KeyringError, PasswordDeleteError, PasswordSetError

from backoffice.credentials import SERVICE, Availability, CredentialStore, ServerKey
from tests.unit.keyring_fakes import (  # noqa: F401 (real_keyring_untouched: an autouse fixture)
    CLINIC,
    SECRET,
    FailingKeyring,
    InMemoryKeyring,
    LockedKeyring,
    real_keyring_untouched,
)

NO_KEYRING_SENTENCE = (
    "Passwords cannot be remembered on this machine: no system keyring is available."
)


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
