"""Choosing one's own password at the first login, when an admin made the login with a temporary one."""

from __future__ import annotations

import sqlalchemy as sa

from backoffice.db import create_engine, explain_connection_errors
from backoffice.errors import PermissionDenied, ValidationError
from backoffice.services.login.rules import check_password
from backoffice.services.login.server_profile import ServerProfile
from backoffice.services.login.staff_session import StaffSession, open_session

_SET_OWN = sa.text("SELECT backoffice.set_own_password(:verifier)")


def set_own_password(
    profile: ServerProfile, *, username: str, temporary_password: str, new_password: str
) -> StaffSession:
    """Replace the temporary password with the person's own, then sign in with it.

    Permission: the login itself, while it waits for its own password; the database decides
    (`backoffice.set_own_password` acts on `session_user` only). One transaction; the audit event
    "staff.password_set" and the therapist's notification are written by the database.
    Raises ValidationError (too short, or the temporary one again), PermissionDenied (the login is
    not waiting for its own password), DatabaseUnavailable (wrong or expired temporary password).
    Only a SCRAM verifier computed here reaches the server, never the password.
    """
    check_password(new_password)
    if new_password == temporary_password:
        raise ValidationError("Choose a password of your own, not the one you were given.")
    url = profile.url(username, temporary_password)
    engine = create_engine(url, poolclass=sa.NullPool)
    try:
        with explain_connection_errors(url), engine.begin() as conn:
            pgconn = conn.connection.driver_connection.pgconn  # type: ignore[union-attr]
            verifier = pgconn.encrypt_password(
                new_password.encode(), username.encode(), b"scram-sha-256"
            )
            conn.execute(_SET_OWN, {"verifier": verifier.decode()})
    except PermissionDenied:
        raise PermissionDenied(
            "This login is not waiting for a password of its own: log in with your password."
        ) from None
    finally:
        engine.dispose()
    return open_session(profile, username=username, password=new_password)
