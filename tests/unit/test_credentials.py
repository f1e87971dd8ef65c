"""CredentialStore over a working (fake) keyring: server keys, round trips, servers kept apart.

The ways a keyring is missing, locked or failing are in `test_credentials_unavailable`.
"""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import chainer

from backoffice.credentials import (
    DEMO_SERVER,
    SERVICE,
    Availability,
    CredentialStore,
    server_key,
)
from tests.unit.keyring_fakes import (  # noqa: F401 (real_keyring_untouched: an autouse fixture)
    CLINIC,
    OTHER,
    SECRET,
    InMemoryKeyring,
    LockedKeyring,
    real_keyring_untouched,
)

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
