"""Engines, the unit of work, and the plain-words explanation of a failed connection."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session

from backoffice.errors import (
    BackofficeError,
    CredentialsRefused,
    DatabaseUnavailable,
    PermissionDenied,
    ValidationError,
)

DEFAULT_STATEMENT_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 5


def parse_url(text: str) -> URL:
    """A SQLAlchemy URL for psycopg 3 from what a person typed; raises ValidationError."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            "No database URL was given: pass --url or set BACKOFFICE_DATABASE_URL."
        )
    try:
        url = sa.make_url(text)
    except ArgumentError:
        raise ValidationError(
            "The database URL is not valid: it should look like postgresql://user@host:5432/clinic."
        ) from None
    if url.get_backend_name() not in {"postgresql", "postgres"}:
        raise ValidationError(
            f"The database URL must be a PostgreSQL URL, not '{url.get_backend_name()}'."
        )
    return url.set(drivername="postgresql+psycopg")


def safe_url(url: URL) -> str:
    """The URL as it may appear in a message or a log line: never with its password."""
    return url.render_as_string(hide_password=True)


def create_engine(
    url: URL,
    *,
    application_name: str = "clinic-backoffice",
    statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS,
    **engine_options: Any,
) -> Engine:
    """An engine whose connections notice a dead network within seconds and time out long queries.

    It keeps no state in the server session, so that it works through PgBouncer in transaction
    pooling (each transaction may run on another server connection): no server-side prepared
    statements, no startup `options` (PgBouncer refuses them), the statement timeout set with
    `SET LOCAL` at the start of every transaction.
    """
    connect_args = {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": application_name,
        # psycopg prepares a statement run five times on its connection; through a pooler the
        # next transaction may land on a server connection where it was never prepared.
        "prepare_threshold": None,
        # Keepalives and tcp_user_timeout only act on TCP; libpq ignores them on Unix sockets.
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
        "tcp_user_timeout": 10_000,
    }
    # hide_parameters: a failed statement's log line or error text never shows what was bound
    # (a SCRAM verifier, a client's name).
    engine = sa.create_engine(
        url, connect_args=connect_args, pool_pre_ping=True, hide_parameters=True, **engine_options
    )
    set_timeout_per_transaction(engine, statement_timeout_ms)
    return engine


def set_timeout_per_transaction(engine: Engine, statement_timeout_ms: int) -> None:
    """`SET LOCAL statement_timeout` as each transaction begins (0: no limit); it ends with it."""
    statement = f"SET LOCAL statement_timeout = {int(statement_timeout_ms)}"

    @sa.event.listens_for(engine, "begin")
    def _set_local_timeout(conn: Connection) -> None:
        if not getattr(conn.connection.dbapi_connection, "autocommit", True):
            conn.exec_driver_sql(statement)


@contextmanager
def raised_as(errors: Mapping[str, type[BackofficeError]]) -> Iterator[None]:
    """A database function's own refusal (RAISE ... USING ERRCODE), by its SQLSTATE, raised as the
    typed error carrying the function's sentence; any other failure goes on unchanged."""
    try:
        yield
    except DBAPIError as exc:
        error = errors.get(getattr(exc.orig, "sqlstate", None) or "")
        if error is None:
            raise
        diag = getattr(exc.orig, "diag", None)
        raise error(diag.message_primary if diag is not None else str(exc.orig)) from None


class UnitOfWork:
    """One transaction on one Session: nothing is saved unless `commit()` is called.

    `with UnitOfWork(engine) as uow:` opens it; leaving the block without `commit()` rolls back.
    """

    def __init__(self, bind: Engine | Connection) -> None:
        self._bind = bind
        self.session: Session

    def __enter__(self) -> Self:
        self.session = Session(
            self._bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
            self.session.close()
        except DBAPIError:
            pass  # the connection is gone already; the original error says why
        if isinstance(exc, DBAPIError):
            translated = translate_database_error(exc, self._url())
            if translated is not None:
                raise translated from None

    def _url(self) -> URL:
        return self._bind.engine.url

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


UnitOfWorkFactory = Callable[[], UnitOfWork]


@contextmanager
def explain_connection_errors(url: URL) -> Iterator[None]:
    """Turn a failed connection or a refusal into an error with a sentence for a person."""
    try:
        yield
    except DBAPIError as exc:
        translated = translate_database_error(exc, url)
        if translated is None:
            raise
        raise translated from None


def translate_database_error(exc: DBAPIError, url: URL) -> BackofficeError | None:
    """The person-facing error for a lost connection, a timeout or a refusal; None for the rest."""
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate == "42501":  # insufficient_privilege: the database itself said no
        diag = getattr(exc.orig, "diag", None)
        primary = diag.message_primary if diag is not None else "permission denied"
        return PermissionDenied(f"The database refused this: {primary}.")
    if sqlstate == "57014":  # query_canceled: statement_timeout
        return DatabaseUnavailable(
            "The database took too long to answer; try again or narrow the search."
        )
    if isinstance(exc, OperationalError) or exc.connection_invalidated:
        sentence = describe_connection_error(exc, url)
        if re.search(_REFUSED_CREDENTIALS, str(exc.orig or exc), re.IGNORECASE):
            return CredentialsRefused(sentence)
        return DatabaseUnavailable(sentence)
    return None


# PgBouncer 1.18 answers "no such user" for a login it cannot look up (unknown or NOLOGIN): told
# as a wrong password, as PostgreSQL does, so that names are not probed.
_REFUSED_CREDENTIALS = (
    r"password authentication failed|no password supplied|authentication failed|no such user"
)


_EXPLANATIONS: list[tuple[str, str]] = [
    (_REFUSED_CREDENTIALS, "The user name or password was not accepted by {where}."),
    (
        r"could not translate host name|Name or service not known|nodename nor servname",
        "The server name {host} could not be found.",
    ),
    (
        r"Connection refused|No such file or directory|could not connect to server",
        "Nothing is answering at {where}: is the server running?",
    ),
    (r"timeout expired|timed out", "{where} did not answer within {timeout} seconds."),
    (r'database "[^"]*" does not exist', "The database {database} does not exist on {where}."),
    (
        r"does not support SSL|SSL (?:was )?required|sslmode",
        "{where} refused the encrypted (TLS) connection that this server entry requires.",
    ),
    (r"not permitted to log in", "This account has been disabled: ask an admin."),
    (
        r"no pg_hba.conf entry|rejects connection",
        "{where} does not accept logins for this user from this computer.",
    ),
    (
        # PostgreSQL's "sorry, too many clients already"; PgBouncer's pool wait and client limit.
        r"too many (?:connections|clients)|remaining connection slots|query_wait_timeout"
        r"|no more connections allowed",
        "{where} has no free connection slots right now; try again in a minute.",
    ),
    (
        r"terminating connection|server closed the connection|connection .* lost",
        "The connection to {where} was lost.",
    ),
]


def describe_connection_error(exc: DBAPIError, url: URL) -> str:
    """One sentence that says why the connection failed, never containing the password."""
    text = str(exc.orig) if exc.orig is not None else str(exc)
    host = url.host or "localhost"
    fields = {
        "where": server_words(url),
        "host": host,
        "database": url.database,
        "timeout": CONNECT_TIMEOUT_S,
    }
    for pattern, sentence in _EXPLANATIONS:
        if re.search(pattern, text, re.IGNORECASE):
            return _capitalised(sentence.format(**fields))
    return f"The database at {server_words(url)} could not be used ({type(exc.orig).__name__})."


def server_words(url: URL) -> str:
    """The server as a person knows it: "the server at db.clinic.example:5432"."""
    if not url.host and url.query.get("host"):
        return "the demo clinic's server"
    return f"the server at {url.host or 'localhost'}" + (f":{url.port}" if url.port else "")


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
