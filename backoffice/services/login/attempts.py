"""Wrong passwords, on record in the audit log.

- A wrong password at the lock screen is recorded at once, through the session that is locked
  (its connection is still good): `unlock_session`.
- The login window has no connection to write with when a password is refused: the window keeps
  the failed attempts on the workstation (user name, server, time; never what was typed as a
  password) and the next person who logs in from it reports them (`record_failed_logins`).
- PostgreSQL writes every refused password to its own server log ("password authentication
  failed for user ..."), whoever tried and from wherever: the record that needs no workstation.
"""

from __future__ import annotations

from collections.abc import Sequence

from backoffice.db import UnitOfWork
from backoffice.errors import CredentialsRefused
from backoffice.services import audit
from backoffice.services.login.failed_login import FailedLogin
from backoffice.services.login.reauthenticate import confirm_password
from backoffice.services.login.staff_session import StaffSession
from backoffice.services.permissions import Actor


def unlock_session(session: StaffSession, *, password: str, workstation: str) -> None:
    """Unlock a locked window with the person's password.

    Permission: the session's own person. No transaction when it succeeds; a refused password
    writes the audit event "session.unlock_failed" at once, in a transaction of its own.
    Raises ValidationError (nothing typed), CredentialsRefused (wrong password),
    DatabaseUnavailable (the server did not answer).
    """
    try:
        confirm_password(session, password=password)
    except CredentialsRefused:
        with session.unit_of_work() as uow:
            record_failed_unlock(uow, session.actor, workstation=workstation)
        raise


def record_failed_unlock(uow: UnitOfWork, actor: Actor, *, workstation: str) -> None:
    """Put a refused unlock on record.

    Permission: any staff member, about their own session. One transaction; audit event
    "session.unlock_failed". Raises DatabaseUnavailable.
    """
    audit.record(
        uow,
        "session.unlock_failed",
        subject_type="staff_account",
        subject_id=actor.login_role,
        details={"workstation": workstation},
    )
    uow.commit()


def record_failed_logins(uow: UnitOfWork, actor: Actor, *, attempts: Sequence[FailedLogin]) -> int:
    """Put the login window's refused passwords on record, reported by the next person to log in.

    Permission: any staff member. One transaction; one audit event "login.failed" per attempt
    (subject: the user name that was typed). Returns how many were recorded.
    Raises DatabaseUnavailable.
    """
    for attempt in attempts:
        audit.record(
            uow,
            "login.failed",
            subject_type="staff_account",
            subject_id=attempt.username[:255],
            details={
                "at": attempt.at.isoformat(),
                "server": attempt.server,
                "workstation": attempt.workstation,
                "reported_by": actor.login_role,
            },
        )
    uow.commit()
    return len(attempts)
