"""The one root of every error the back-office shows to a person, and its typed children.

Each error's text is one sentence meant for the person at the keyboard: no SQL, no URL with a
password, no traceback. Code that catches `BackofficeError` can show `str(error)` as it is.
"""

from __future__ import annotations


class BackofficeError(Exception):
    """Something the person can understand and act on."""


class PermissionDenied(BackofficeError):
    """The signed-in person's role does not allow this."""


class ValidationError(BackofficeError):
    """The input is not acceptable (amount, date, missing reason, ...)."""


class ConflictError(BackofficeError):
    """The data changed meanwhile, or the action was already done."""


class NotFound(BackofficeError):
    """The thing asked for does not exist (or is not visible to this person)."""


class DatabaseUnavailable(BackofficeError):
    """The database cannot be reached or refuses the login."""


class PasswordChangeRequired(BackofficeError):
    """The login's password was chosen by an admin: its owner must choose their own first."""


class CredentialsRefused(DatabaseUnavailable):
    """The server answered, and refused this user name and password."""
