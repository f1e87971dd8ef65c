"""Where a login's password comes from when the server asks for one and libpq found none.

libpq itself looks first: the password in the URL, then `PGPASSWORD`, then `~/.pgpass` (or the file
`PGPASSFILE` names); a server that asks for no password (trust, peer, client certificates, GSS) is
never asked anything. Only when the server asked and none of those had one do we look further: the
OS keyring entry the login window saved for this user and server, then a prompt on a terminal.
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from backoffice.credentials import CredentialStore, ServerKey, server_key

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


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


def from_terminal(url: URL, where: str) -> str | None:
    """A password typed on the terminal, or None when there is no terminal to ask on."""
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(f"Password for {login_target(url).user} on {where}: ")


def password_missing(error: Exception) -> bool:
    """The server asked for a password and the connection had none (libpq's own test)."""
    pgconn = getattr(error, "pgconn", None)
    if pgconn is not None:
        return bool(pgconn.needs_password)
    return "no password supplied" in str(error)


def no_password_sentence(url: URL, where: str) -> str:
    """What to say when the server asked, nothing had the password and nobody could be asked."""
    return (
        f"{where} asks for {login_target(url).user}'s password and none was found (in the URL, "
        "PGPASSWORD, ~/.pgpass or the file PGPASSFILE names, or this computer's keyring), "
        "and there is no terminal to ask on."
    )
