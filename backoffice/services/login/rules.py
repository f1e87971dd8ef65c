"""What a staff login may be called, how long its password must be, and the `users.password` that
marks a login made by the back-office (so that no website login goes through it)."""

from __future__ import annotations

import re

from backoffice.errors import ValidationError

MIN_PASSWORD_LENGTH = 10
# How long a password an admin chose for someone else's login stays valid: the person replaces it
# at their first login (`backoffice.set_own_password`), or an admin issues another.
TEMPORARY_PASSWORD_HOURS = 48
NO_DASHBOARD_PASSWORD = "!backoffice-login-only"  # never a valid hash: no website login through it
_LOGIN_NAME = re.compile(r"^[a-z_][a-z0-9_]{2,62}$")


def check_login_name(name: str) -> None:
    """A PostgreSQL role name we can use unquoted; ValidationError saying what it must look like."""
    if not _LOGIN_NAME.match(name):
        raise ValidationError(
            "A user name is 3 to 63 lower-case letters, digits or underscores, starting with a letter."
        )


def check_password(password: str) -> None:
    """ValidationError for a password shorter than the clinic allows."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
