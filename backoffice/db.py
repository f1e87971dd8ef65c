"""Engines, the unit of work, and the plain-words explanation of a failed connection."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session

from backoffice.errors import DatabaseUnavailable, ValidationError

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
    """An engine whose connections notice a dead network within seconds and time out long queries."""
    connect_args = {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": application_name,
        "options": f"-c statement_timeout={statement_timeout_ms}",
        # Keepalives and tcp_user_timeout only act on TCP; libpq ignores them on Unix sockets.
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
        "tcp_user_timeout": 10_000,
    }
    return sa.create_engine(url, connect_args=connect_args, pool_pre_ping=True, **engine_options)


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
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


UnitOfWorkFactory = Callable[[], UnitOfWork]


@contextmanager
def connect(url: URL, **engine_options: Any) -> Iterator[Connection]:
    """A single connection for command-line work, with failures explained in one sentence."""
    engine = create_engine(url, poolclass=sa.NullPool, **engine_options)
    try:
        with explain_connection_errors(url), engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


@contextmanager
def explain_connection_errors(url: URL) -> Iterator[None]:
    """Turn a failed connection into DatabaseUnavailable with a sentence for a person."""
    try:
        yield
    except OperationalError as exc:
        raise DatabaseUnavailable(describe_connection_error(exc, url)) from None
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient_privilege
            primary = exc.orig.diag.message_primary if exc.orig is not None else None
            raise DatabaseUnavailable(f"The database refused this: {primary}.") from None
        raise


_EXPLANATIONS: list[tuple[str, str]] = [
    (
        r"password authentication failed|no password supplied|authentication failed",
        "The user name or password was not accepted by {where}.",
    ),
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
    (
        r"no pg_hba.conf entry|not permitted to log in|rejects connection",
        "{where} does not allow this user to log in.",
    ),
    (
        r"too many connections|remaining connection slots",
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
    host = url.host or (url.query.get("host") and "the local demo server") or "localhost"
    where = f"the server at {host}" + (f":{url.port}" if url.port else "")
    fields = {"where": where, "host": host, "database": url.database, "timeout": CONNECT_TIMEOUT_S}
    for pattern, sentence in _EXPLANATIONS:
        if re.search(pattern, text, re.IGNORECASE):
            return _capitalised(sentence.format(**fields))
    return f"The database at {where} could not be used ({type(exc.orig).__name__})."


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
