"""Signing in as libpq does, for every command and `backoffice.api`: a password only when the
server asks for one.

libpq looks first: the password given or in the URL, then `PGPASSWORD`, then `~/.pgpass` (or the
file `PGPASSFILE` names); a server that asks for no password (trust, peer, client certificates,
GSS) is asked nothing. Only when the server asked and libpq had none do we look further: the OS
keyring entry the login window saved for this user and server, then a prompt on a terminal.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError

from backoffice.credentials import CredentialStore, ServerKey, server_key
from backoffice.db import (
    create_engine,
    explain_connection_errors,
    server_words,
    translate_database_error,
)
from backoffice.errors import DatabaseUnavailable


@contextmanager
def connect(
    url: URL, *, password: str | None = None, **engine_options: Any
) -> Iterator[Connection]:
    """A single connection for command-line work (the password as `open_engine` finds it), with
    failures explained in one sentence."""
    options = {"poolclass": sa.NullPool, **engine_options}
    engine, conn = _first_connection(url, password, options)
    try:
        with explain_connection_errors(url), conn:
            yield conn
    finally:
        engine.dispose()


def open_engine(url: URL, *, password: str | None = None, **engine_options: Any) -> Engine:
    """An engine that has connected once, with a password only if the server asked for one.

    `password`, else the URL's, else PGPASSWORD or ~/.pgpass (PGPASSFILE), none at all when the
    server asks none; when it asks and libpq has none, the keyring entry the login window saved,
    else a prompt on a terminal. Raises DatabaseUnavailable (or PermissionDenied) with a sentence.
    """
    engine, conn = _first_connection(url, password, engine_options)
    conn.close()
    return engine


def _first_connection(
    url: URL, password: str | None, options: dict[str, Any]
) -> tuple[Engine, Connection]:
    url = url.set(password=password) if password else url
    try:
        return _connected(url, options)
    except DBAPIError as error:
        if url.password or not password_missing(error.orig or error):
            _raise_explained(error, url)
    refused: DBAPIError | None = None
    remembered = from_keyring(url)
    if remembered:
        try:
            return _connected(url.set(password=remembered), options)
        except DBAPIError as error:
            refused = error  # a stale keyring entry: a person at a terminal may know better
    typed = from_terminal(url)
    if typed is None:
        if refused is not None:
            _raise_explained(refused, url)
        raise DatabaseUnavailable(no_password_sentence(url))
    try:
        return _connected(url.set(password=typed), options)
    except DBAPIError as error:
        _raise_explained(error, url)


def _connected(url: URL, options: dict[str, Any]) -> tuple[Engine, Connection]:
    engine = create_engine(url, **options)
    try:
        return engine, engine.connect()
    except BaseException:
        engine.dispose()
        raise


def _raise_explained(error: DBAPIError, url: URL) -> NoReturn:
    translated = translate_database_error(error, url)
    if translated is None:
        raise error
    raise translated from None


@dataclass(frozen=True)
class LoginTarget:
    """Who logs in where, with libpq's defaults filled in (environment, then its built-ins)."""

    user: str
    host: str
    port: int | None
    database: str

    @property
    def server(self) -> ServerKey:
        """The keyring key the login window uses for this server (`credentials.server_key`)."""
        return server_key(host=self.host, port=self.port, database=self.database)


def login_target(url: URL) -> LoginTarget:
    env = os.environ
    user = url.username or env.get("PGUSER") or getpass.getuser()
    socket_dir = url.query.get("host")
    host = url.host or (socket_dir if isinstance(socket_dir, str) else None)
    port = url.port or (int(env["PGPORT"]) if env.get("PGPORT", "").isdigit() else None)
    return LoginTarget(
        user=user,
        host=host or env.get("PGHOST") or "localhost",
        port=port,
        database=url.database or env.get("PGDATABASE") or user,
    )


def from_keyring(url: URL, store: CredentialStore | None = None) -> str | None:
    """The password the login window remembered for this user on this server, if any."""
    target = login_target(url)
    try:
        server = target.server
    except ValueError:  # no usable host or database: the login window could not have saved one
        return None
    return (store or CredentialStore()).recall(server, target.user)


def from_terminal(url: URL) -> str | None:
    """A password typed on the terminal, or None when there is no terminal to ask on."""
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(f"Password for {login_target(url).user} on {server_words(url)}: ")


def password_missing(error: Exception) -> bool:
    """The server asked for a password and the connection had none (libpq's own test)."""
    pgconn = getattr(error, "pgconn", None)
    if pgconn is not None:
        return bool(pgconn.needs_password)
    return "no password supplied" in str(error)


def no_password_sentence(url: URL) -> str:
    """What to say when the server asked, nothing had the password and nobody could be asked."""
    where = server_words(url)
    return (
        f"{where[:1].upper()}{where[1:]} asks for {login_target(url).user}'s password and none "
        "was found (in the URL, PGPASSWORD, ~/.pgpass or the file PGPASSFILE names, or this "
        "computer's keyring), and there is no terminal to ask on."
    )
