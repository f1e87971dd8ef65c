"""The key of an offline copy, and the half of it that lives in the OS keyring.

Design: neither half opens a copy alone.

- A random 256-bit *device secret* per login and server, kept in the OS keyring under its own
  service name (`OFFLINE_SERVICE`, apart from remembered passwords), made at the first checkout.
- A *password key*: scrypt (n=2^15, r=8, p=1, ~60 ms and 32 MiB) of the login's password with a
  random salt stored beside the copy. scrypt runs once per offline login (or checkout, or sync),
  never per read.
- HKDF-SHA256 over both gives 64 bytes: the first 32 are the SQLCipher raw key (no key derivation
  inside SQLCipher, so every open is fast), the last 32 the *verifier* stored beside the copy.
- A *secret check* (HMAC of the salt under the device secret) is stored beside it too.

A stolen keyring (or a laptop whose session is unlocked) without the password opens nothing; a
known password without this computer's keyring opens nothing; the files alone give neither. The
secret check tells "the keyring holds another key" from a wrong password, the verifier "wrong
password" from "this file no longer opens" (it matches and SQLCipher still refuses); neither can
be checked without the device secret, so they offer no offline guessing of the password that the
file itself does not. Each checkout draws a new salt, so a changed
password takes effect at the next sync. Wiping deletes the device secret first: from then on no
password opens what may be left of the files.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from keyring.backend import KeyringBackend

from backoffice.credentials import (
    KEYRING_LOCKED,
    NO_KEYRING,
    CredentialStore,
    ServerKey,
    keyring_username,
)
from backoffice.services.offline.types import OfflineUnavailable

OFFLINE_SERVICE = "clinic-backoffice-offline"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_INFO = b"clinic-backoffice offline copy v1: sqlcipher key, password verifier"

# What the credential store says of the keyring -> why offline is unavailable
_WHY = {
    NO_KEYRING: "there is no system keyring on this computer to hold the copy's key",
    KEYRING_LOCKED: "the system keyring is locked and was not unlocked",
}
_FAILED = "the system keyring reported an error"


@dataclass(frozen=True)
class CopyKey:
    """The SQLCipher raw key of one copy file and the verifier stored beside it."""

    raw: bytes = field(repr=False)
    verifier: bytes = field(repr=False)


def new_salt() -> bytes:
    return secrets.token_bytes(16)


def derive(device_secret: bytes, password: str, salt: bytes) -> CopyKey:
    """The copy's key from both halves (scrypt of the password, then HKDF with the secret)."""
    scrypt = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    password_key = scrypt.derive(password.encode("utf-8"))
    both = HKDF(algorithm=hashes.SHA256(), length=64, salt=salt, info=_INFO)
    material = both.derive(device_secret + password_key)
    return CopyKey(raw=material[:32], verifier=material[32:])


def verifies(key: CopyKey, stored_verifier: bytes) -> bool:
    return hmac.compare_digest(key.verifier, stored_verifier)


def secret_check(device_secret: bytes, salt: bytes) -> bytes:
    """What the manifest keeps to tell that the keyring still holds this copy's secret."""
    return hmac.new(device_secret, b"secret check" + salt, "sha256").digest()[:16]


def check_secret(device_secret: bytes, salt: bytes, stored: bytes) -> None:
    if not hmac.compare_digest(secret_check(device_secret, salt), stored):
        raise unavailable(
            "the key in this computer's keyring no longer opens the offline copy; "
            "wipe it and take a new one when you are online"
        )


def unavailable(why: str) -> OfflineUnavailable:
    return OfflineUnavailable(f"Working offline is unavailable: {why}.")


class DeviceSecrets:
    """The device secrets in the OS keyring; every keyring failure is `OfflineUnavailable` with its
    sentence (never a fallback: without the keyring there is no offline copy)."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    def _store(self) -> CredentialStore:
        # A store per call: one that failed once stays failed, and the keyring may be unlocked now.
        return CredentialStore(self._backend, service=OFFLINE_SERVICE)

    def get(self, server: ServerKey, login: str) -> bytes:
        secret = self.find(server, login)
        if secret is None:
            raise unavailable(
                "this computer's keyring no longer holds the key of the offline copy; "
                "wipe it and take a new one when you are online"
            )
        return secret

    def get_or_make(self, server: ServerKey, login: str) -> bytes:
        """The secret of this login's copies on this computer, made at the first checkout."""
        return self.find(server, login) or self.make(server, login)

    def find(self, server: ServerKey, login: str) -> bytes | None:
        store = self._store()
        value = store.recall(server, login)
        self._raise_if_unavailable(store)
        if not value:
            return None
        try:
            return bytes.fromhex(value)
        except ValueError:
            raise unavailable("the key in this computer's keyring is damaged") from None

    def make(self, server: ServerKey, login: str) -> bytes:
        """A new device secret, stored before anything is encrypted with it."""
        secret = secrets.token_bytes(32)
        store = self._store()
        store.remember(server, login, secret.hex())
        self._raise_if_unavailable(store)
        if store.recall(server, login) != secret.hex():
            raise unavailable("the system keyring did not keep the copy's key")
        return secret

    def delete(self, server: ServerKey, login: str) -> str | None:
        """Forget the device secret; the sentence why it could not be, or None when it is gone."""
        store = self._store()
        store.forget(server, login)
        message = store.availability().message
        if message is None:
            return None
        return _WHY.get(message, _FAILED)

    @staticmethod
    def _raise_if_unavailable(store: CredentialStore) -> None:
        message = store.availability().message
        if message is not None:
            raise unavailable(_WHY.get(message, _FAILED))

    @staticmethod
    def entry_name(server: ServerKey, login: str) -> str:
        """The name the keyring shows for it (under `OFFLINE_SERVICE`)."""
        return keyring_username(server, login)
