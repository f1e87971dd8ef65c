"""Remembered passwords in the operating system's keyring, keyed by user and server; never anywhere else."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import NewType
from urllib.parse import quote

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked, NoKeyringError, PasswordDeleteError

log = logging.getLogger(__name__)

SERVICE = "clinic-backoffice"
DEFAULT_PORT = 5432

ServerKey = NewType("ServerKey", str)
# The embedded demo server: its host and port change from run to run, its logins do not.
# Never equal to a `server_key()`, which always holds ":" and "/".
DEMO_SERVER = ServerKey("demo")

_PREFIX = "Passwords cannot be remembered on this machine: "
NO_KEYRING = _PREFIX + "no system keyring is available."
KEYRING_LOCKED = _PREFIX + "the system keyring is locked and was not unlocked."
KEYRING_FAILED = _PREFIX + "the system keyring reported an error."


def server_key(*, host: str, port: int | None = None, database: str) -> ServerKey:
    """A readable, unambiguous key such as `db.clinic.example:5432/clinic` for one database on one server.

    Unusual characters are percent-encoded so that two different servers never share a key.
    """
    host, database = host.strip(), database.strip()
    # Host names ignore case; a socket directory is a path and does not.
    if not host.startswith("/"):
        host = host.lower()
    if not host or not database:
        raise ValueError("A server needs a host and a database name.")
    port = DEFAULT_PORT if port is None else port
    if not 0 < port < 65536:
        raise ValueError("A server port must be between 1 and 65535.")
    shown_host = quote(host, safe="/:")
    if ":" in host:  # IPv6 literal, bracketed as in URLs
        shown_host = f"[{shown_host}]"
    return ServerKey(f"{shown_host}:{port}/{quote(database, safe='')}")


def keyring_username(server: ServerKey, user: str) -> str:
    """The name shown in the OS keyring's own window, e.g. `alice@db.clinic.example:5432/clinic`.

    A server key never contains "@", so the last one separates user and server whatever the user name.
    """
    return f"{user}@{server}"


@dataclass(frozen=True)
class Availability:
    """Whether passwords can be remembered; when not, `message` says why in one sentence."""

    available: bool
    message: str | None = None


class CredentialStore:
    """Remember, recall and forget staff passwords in the OS keyring; never raises for keyring trouble.

    After the first keyring failure (no backend, locked and not unlocked, backend error) the store is
    unavailable for good: it reports one sentence once (log warning and `on_unavailable`), then `recall`
    returns None and `remember`/`forget` do nothing.
    """

    def __init__(
        self,
        backend: KeyringBackend | None = None,
        *,
        service: str = SERVICE,
        on_unavailable: Callable[[str], None] | None = None,
    ) -> None:
        self._backend = backend
        self._service = service
        self._on_unavailable = on_unavailable
        self._lock = threading.Lock()
        self._unavailable: str | None = None
        self._checked = False

    def __repr__(self) -> str:
        state = "available" if self._unavailable is None else "unavailable"
        return f"<CredentialStore service={self._service!r} backend={self._backend_name()} {state}>"

    def availability(self) -> Availability:
        """Whether passwords can be remembered on this machine, without prompting the user."""
        self._usable_backend()
        message = self._unavailable
        return Availability(available=message is None, message=message)

    def check(self) -> Availability:
        """Ask the keyring once (a read of an entry that does not exist), so that a window can say
        at once whether passwords can be remembered, before anyone ticks "remember"."""
        backend = self._usable_backend()
        if backend is not None:
            try:
                backend.get_password(self._service, "availability-check")
            except Exception as error:
                self._fail("check", error)
        return self.availability()

    def remember(self, server: ServerKey, user: str, password: str) -> None:
        """Store the password for this user on this server, replacing any earlier one (empty: ignored)."""
        backend = self._usable_backend()
        if backend is None or not user or not password:
            return
        try:
            backend.set_password(self._service, keyring_username(server, user), password)
        except Exception as error:  # any backend may fail in its own way
            self._fail("remember", error)

    def recall(self, server: ServerKey, user: str) -> str | None:
        """The remembered password for this user on this server, or None."""
        backend = self._usable_backend()
        if backend is None or not user:
            return None
        try:
            password = backend.get_password(self._service, keyring_username(server, user))
        except Exception as error:
            self._fail("recall", error)
            return None
        return password if isinstance(password, str) else None

    def forget(self, server: ServerKey, user: str) -> None:
        """Remove the remembered password, if any."""
        backend = self._usable_backend()
        if backend is None or not user:
            return
        try:
            backend.delete_password(self._service, keyring_username(server, user))
        except PasswordDeleteError:
            pass  # nothing was remembered: already forgotten
        except Exception as error:
            self._fail("forget", error)

    def _usable_backend(self) -> KeyringBackend | None:
        with self._lock:
            if not self._checked:
                self._checked = True
                self._backend = self._resolve_backend()
            backend = self._backend if self._unavailable is None else None
        if backend is None and self._unavailable is None:
            self._become_unavailable(NO_KEYRING)
        return backend

    def _resolve_backend(self) -> KeyringBackend | None:
        try:
            backend = self._backend if self._backend is not None else keyring.get_keyring()
            return backend if _can_store(backend) else None
        except Exception as error:
            log.warning("Keyring backend could not be determined (%s).", type(error).__name__)
            return None

    def _fail(self, action: str, error: Exception) -> None:
        # Only the exception's type is logged: backends may put secrets or paths in its text.
        log.warning("Keyring %s failed (%s).", action, type(error).__name__)
        if isinstance(error, KeyringLocked):
            self._become_unavailable(KEYRING_LOCKED)
        elif isinstance(error, NoKeyringError):
            self._become_unavailable(NO_KEYRING)
        else:
            self._become_unavailable(KEYRING_FAILED)

    def _become_unavailable(self, message: str) -> None:
        with self._lock:
            if self._unavailable is not None:
                return
            self._unavailable = message
        log.warning("%s", message)
        if self._on_unavailable is not None:
            try:
                self._on_unavailable(message)
            except Exception as error:  # a listener must not break login
                log.warning("Keyring notice listener failed (%s).", type(error).__name__)

    def _backend_name(self) -> str:
        if self._backend is not None:
            return type(self._backend).__name__
        return "none" if self._checked else "default"


def _can_store(backend: KeyringBackend) -> bool:
    """False for keyring's stand-ins that store nothing: fail, null, or a chainer with nothing to chain."""
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return any(_can_store(inner) for inner in backend.backends)
    return True
