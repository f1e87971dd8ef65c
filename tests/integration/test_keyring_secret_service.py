"""CredentialStore against a real Secret Service: GNOME Keyring on a private D-Bus session bus.

Needs `dbus-daemon` and `gnome-keyring-daemon` (Debian/Ubuntu: `apt-get install dbus gnome-keyring`).
Skipped when they are missing, except under CI=true where their absence fails the test.
The user's own bus and keyring are never touched: the bus, HOME and XDG directories are throwaway.
"""

from __future__ import annotations

import sys
from contextlib import closing

import pytest

from backoffice.credentials import SERVICE, CredentialStore, keyring_username, server_key

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="the Secret Service is a Linux desktop service"
)

PASSWORD = "Real-Keyring-Pa55!"


def _secrets_in_secret_service(username: str) -> list[tuple[str, str]]:
    """(label, secret) of each matching item, read with secretstorage rather than through keyring."""
    import secretstorage

    with closing(secretstorage.dbus_init()) as connection:
        collection = secretstorage.Collection(connection)
        assert collection.get_label() == "Login", (
            "keyring should write to GNOME Keyring's login collection"
        )
        items = collection.search_items({"service": SERVICE, "username": username})
        return [(item.get_label(), item.get_secret().decode()) for item in items]


@pytest.mark.timeout(60)
def test_password_is_stored_read_and_deleted_in_a_real_secret_service(secret_service: None) -> None:
    from keyring.backends import SecretService

    store = CredentialStore(SecretService.Keyring())
    server = server_key(host="db.clinic.example", port=5432, database="clinic")
    username = keyring_username(server, "alice")
    assert store.availability().available, store.availability().message

    store.remember(server, "alice", PASSWORD)
    assert store.availability().available, store.availability().message
    assert _secrets_in_secret_service(username) == [
        (f"Password for '{username}' on '{SERVICE}'", PASSWORD)
    ]
    assert store.recall(server, "alice") == PASSWORD
    assert store.recall(server_key(host="db.other.example", database="clinic"), "alice") is None

    store.forget(server, "alice")
    assert _secrets_in_secret_service(username) == []
    assert store.recall(server, "alice") is None
    assert store.availability().available, store.availability().message
