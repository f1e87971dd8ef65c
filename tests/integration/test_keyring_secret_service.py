"""CredentialStore against a real Secret Service: GNOME Keyring on a private D-Bus session bus.

Needs `dbus-daemon` and `gnome-keyring-daemon` (Debian/Ubuntu: `apt-get install dbus gnome-keyring`).
Skipped when they are missing, except under CI=true where their absence fails the test.
The user's own bus and keyring are never touched: the bus, HOME and XDG directories are throwaway.
"""

from __future__ import annotations

import datetime as dt
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


@pytest.mark.timeout(60)
def test_an_offline_copys_key_lives_in_a_real_secret_service_and_is_wiped_first(
    secret_service: None, tmp_path, monkeypatch
) -> None:
    from keyring.backends import SecretService

    from backoffice.services.offline import (
        OFFLINE_SERVICE,
        DeviceSecrets,
        list_copies,
        open_copy,
        read_caseload,
        wipe_copy,
    )
    from backoffice.services.offline.copies import put_copy
    from tests.offline_data import PASSWORD as COPY_PASSWORD
    from tests.offline_data import SERVER, snapshot

    monkeypatch.setenv("BACKOFFICE_DATA_DIR", str(tmp_path / "data"))
    secrets = DeviceSecrets(SecretService.Keyring())
    copy_now = snapshot(taken_utc=dt.datetime.now(dt.UTC))
    put_copy(copy_now, server=SERVER, password=COPY_PASSWORD, secrets=secrets)
    username = keyring_username(SERVER, "asha")

    import secretstorage

    with closing(secretstorage.dbus_init()) as connection:
        items = secretstorage.Collection(connection).search_items(
            {"service": OFFLINE_SERVICE, "username": username}
        )
        (secret,) = [bytes.fromhex(item.get_secret().decode()) for item in items]
    assert len(secret) == 32
    copy = open_copy(server=SERVER, login="asha", password=COPY_PASSWORD, secrets=secrets)
    assert len(read_caseload(copy)) == 3
    assert _secrets_in_secret_service(username) == []  # not among remembered passwords

    assert wipe_copy(server=SERVER, login="asha", secrets=secrets) is None
    assert list_copies() == ()
    with closing(secretstorage.dbus_init()) as connection:
        assert (
            list(secretstorage.Collection(connection).search_items({"service": OFFLINE_SERVICE}))
            == []
        )
