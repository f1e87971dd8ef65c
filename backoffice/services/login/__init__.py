"""Signing in: where the clinic database is, a staff member's own connection, unlocking a session,
wrong passwords on record, and what a staff login may be called.

Light on purpose: the login window imports this package before it paints, so the names that need
SQLAlchemy load on first use (PEP 562 `__getattr__`), not when the package is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backoffice.services.login.failed_login import FailedLogin
from backoffice.services.login.rules import (
    MIN_PASSWORD_LENGTH,
    NO_DASHBOARD_PASSWORD,
    TEMPORARY_PASSWORD_HOURS,
    check_login_name,
    check_password,
)
from backoffice.services.login.server_profile import SSL_MODES, ServerProfile

if TYPE_CHECKING:
    from backoffice.services.login.attempts import (
        record_failed_logins,
        record_failed_unlock,
        unlock_session,
    )
    from backoffice.services.login.own_password import set_own_password
    from backoffice.services.login.reauthenticate import confirm_password
    from backoffice.services.login.staff_session import (
        MUST_SET_PASSWORD,
        NOT_PROVISIONED,
        NOT_STAFF,
        StaffSession,
        identify,
        open_session,
    )

_ATTEMPTS = ("record_failed_logins", "record_failed_unlock", "unlock_session")
__all__ = [
    "MIN_PASSWORD_LENGTH",
    "MUST_SET_PASSWORD",
    "NOT_PROVISIONED",
    "NOT_STAFF",
    "NO_DASHBOARD_PASSWORD",
    "SSL_MODES",
    "TEMPORARY_PASSWORD_HOURS",
    "FailedLogin",
    "ServerProfile",
    "StaffSession",
    "check_login_name",
    "check_password",
    "confirm_password",
    "identify",
    "open_session",
    "record_failed_logins",
    "record_failed_unlock",
    "set_own_password",
    "unlock_session",
]


def __getattr__(name: str) -> Any:
    if name in _ATTEMPTS:
        from backoffice.services.login import attempts

        return getattr(attempts, name)
    if name == "confirm_password":
        from backoffice.services.login import reauthenticate

        return reauthenticate.confirm_password
    if name == "set_own_password":
        from backoffice.services.login import own_password

        return own_password.set_own_password
    if name in __all__:
        from backoffice.services.login import staff_session

        return getattr(staff_session, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
