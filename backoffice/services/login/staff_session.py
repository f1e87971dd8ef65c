"""Logging in: open a connection as the person's own database login and learn who they are.

Who they are comes from the database (`backoffice.session_staff()`, keyed by `session_user`), never
from what the window sent. Every way a login can fail ends in one sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError

from backoffice.db import UnitOfWork, explain_connection_errors
from backoffice.db_pool import create_workstation_engine
from backoffice.db_standby import ReadRouter, ReadTarget
from backoffice.errors import DatabaseUnavailable, PasswordChangeRequired, ValidationError
from backoffice.services.login.server_profile import SSL_MODES, ServerProfile
from backoffice.services.permissions import Actor, Role

NOT_PROVISIONED = (
    "This database has not been set up for the back-office yet: ask its owner to run "
    "`backoffice db upgrade` and `backoffice db provision`."
)
NOT_STAFF = "This login has no active staff account in the back-office: ask an admin to add it."
MUST_SET_PASSWORD = (
    "This password was given to you to start with: choose your own password to continue."
)


@dataclass
class StaffSession:
    """A signed-in person: their actor and their own connection pool (on the primary), and the
    router that sends long reads to the read-only server when the profile names one."""

    actor: Actor
    profile: ServerProfile
    engine: Engine = field(repr=False)
    reads_router: ReadRouter | None = field(default=None, repr=False)

    def unit_of_work(self) -> UnitOfWork:
        """On the primary: every workflow, and any read that must see the latest commit."""
        return UnitOfWork(self.engine)

    def reads(self) -> ReadTarget:
        """Where a long report or a dashboard reads: `.unit_of_work()`, and `.note` to show when
        the read-only server is down or behind (None when it serves, or when there is none).
        May wait for the read-only server's connect timeout: call it on a worker."""
        if self.reads_router is None:
            return ReadTarget(self.engine, on_standby=False)
        return self.reads_router.target()

    def ping(self) -> None:
        """One round trip to the server; raises DatabaseUnavailable with a sentence if it fails."""
        with explain_connection_errors(self.engine.url), self.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))

    def close(self) -> None:
        self.engine.dispose()
        if self.reads_router is not None:
            self.reads_router.close()


def open_session(profile: ServerProfile, *, username: str, password: str) -> StaffSession:
    """Connect as `username` and identify the staff account; raises a BackofficeError with a sentence."""
    username = username.strip()
    if not username:
        raise ValidationError("Enter your user name.")
    if not password:
        raise ValidationError("Enter your password.")
    if not profile.is_demo and profile.sslmode not in SSL_MODES:
        raise ValidationError(f"The TLS mode must be one of {', '.join(SSL_MODES)}.")
    url = profile.url(username, password)
    engine = create_workstation_engine(url, pool_size=profile.pool_size)
    try:
        actor = identify(engine, url)
    except BaseException:
        engine.dispose()
        raise
    return StaffSession(actor, profile, engine, _reads_router(profile, engine, username, password))


def _reads_router(
    profile: ServerProfile, primary: Engine, username: str, password: str
) -> ReadRouter | None:
    read_url = profile.read_url(username, password)
    if read_url is None:
        return None
    # Reports and dashboards run one at a time: two connections at most, none once idle.
    standby = create_workstation_engine(read_url, pool_size=2)
    return ReadRouter(primary, standby)


def identify(engine: Engine, url: URL) -> Actor:
    with explain_connection_errors(url), engine.connect() as conn:
        try:
            row = conn.execute(sa.text("SELECT * FROM backoffice.session_staff()")).first()
        except DBAPIError as error:
            conn.rollback()
            if _waits_for_own_password(conn, error):
                raise PasswordChangeRequired(MUST_SET_PASSWORD) from None
            raise DatabaseUnavailable(_identity_failure(error)) from None
    if row is None:
        raise DatabaseUnavailable(NOT_STAFF)
    return Actor(
        login_role=row.login_role,
        role=Role(row.role),
        display_name=row.display_name,
        therapist_id=row.therapist_id,
        user_id=row.user_id,
    )


def _waits_for_own_password(conn: sa.Connection, error: DBAPIError) -> bool:
    """A login an admin made is in no staff group until its owner sets their own password."""
    if getattr(error.orig, "sqlstate", None) != "42501":
        return False
    try:
        return bool(conn.execute(sa.text("SELECT backoffice.session_must_set_password()")).scalar())
    except DBAPIError:
        conn.rollback()
        return False


def _identity_failure(error: DBAPIError) -> str:
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate == "42501":  # no EXECUTE: the login is not in any back-office group
        return NOT_STAFF
    if sqlstate in {"3F000", "42883", "42P01"}:  # no schema / no function / no table
        return NOT_PROVISIONED
    raise error
