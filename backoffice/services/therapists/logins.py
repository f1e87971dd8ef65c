"""A therapist's staff account and database login, through the owner's two narrow functions
(`owner.provisioning.therapist_logins`). Internal to the therapist workflows."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError, ValidationError
from backoffice.services.login import check_login_name, check_password
from backoffice.services.therapists.records import SharedFields


def ascii_slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def login_for(uow: UnitOfWork, therapist_id: str, full_name: str, requested: str | None) -> str:
    """The login name asked for, else the therapist's existing one, else a free one from their name."""
    return requested or staff_login_of(uow, therapist_id) or free_login_name(uow, full_name)


def free_login_name(uow: UnitOfWork, full_name: str) -> str:
    """A login name from the person's name that no role and no staff account uses yet."""
    base = (ascii_slug(full_name) or "therapist")[:55]
    if not base[0].isalpha():
        base = f"t_{base}"[:55]
    taken = set(
        uow.session.scalars(
            sa.text(
                "SELECT rolname::text FROM pg_catalog.pg_roles WHERE rolname LIKE :p "
                "UNION SELECT login_role FROM backoffice.staff_accounts WHERE login_role LIKE :p"
            ),
            {"p": f"{base}%"},
        )
    )
    candidate, number = base, 1
    while candidate in taken or len(candidate) < 3:
        number += 1
        candidate = f"{base}{number}"
    return candidate


def login_in_use(uow: UnitOfWork, login: str) -> bool:
    """The login works with a password its owner chose: no admin may issue it another."""
    return bool(
        uow.session.execute(
            sa.text(
                "SELECT 1 FROM backoffice.staff_accounts s JOIN pg_catalog.pg_roles r "
                "ON r.rolname = s.login_role WHERE s.login_role = :login AND s.is_active "
                "AND NOT s.must_set_password"
            ),
            {"login": login},
        ).first()
    )


def check_login(login: str, password: str | None) -> None:
    check_login_name(login)
    if password is not None:
        check_password(password)


def staff_login_of(uow: UnitOfWork, therapist_id: str) -> str | None:
    return uow.session.execute(
        sa.text(
            "SELECT login_role FROM backoffice.staff_accounts WHERE therapist_id = :t "
            "AND role = 'therapist' ORDER BY is_active DESC, id LIMIT 1"
        ),
        {"t": therapist_id},
    ).scalar_one_or_none()


def link_staff(
    uow: UnitOfWork, *, login: str, therapist_id: str, fields: SharedFields, user_id: int | None
) -> int:
    """Create or update the therapist's staff account through the owner's narrow function."""
    statement = sa.text("SELECT backoffice.link_therapist_staff(:login, :t, :name, :email, :user)")
    params = {
        "login": login,
        "t": therapist_id,
        "name": fields.name,
        "email": fields.email,
        "user": user_id,
    }
    return int(str(_call_owner_function(uow, statement, params, login)))


def create_login(uow: UnitOfWork, *, login: str, password: str) -> None:
    """Create the database login, or issue a new temporary password to one still waiting for its
    owner's (or disabled); the password is temporary either way (`owner.provisioning.
    therapist_logins`). Only a SCRAM verifier computed here reaches the server."""
    raw = uow.session.connection().connection.driver_connection
    verifier = raw.pgconn.encrypt_password(password.encode(), login.encode(), b"scram-sha-256")  # type: ignore[union-attr]
    statement = sa.text("SELECT backoffice.create_therapist_login(:login, :verifier)")
    _call_owner_function(uow, statement, {"login": login, "verifier": verifier.decode()}, login)


def _call_owner_function(
    uow: UnitOfWork, statement: sa.TextClause, params: Mapping[str, object], login: str
) -> object:
    if not _provisioned(uow):
        raise ValidationError(
            "This database has not been provisioned for therapist logins yet: ask its owner "
            "to run `backoffice db provision` again."
        )
    try:
        return uow.session.execute(statement, params).scalar()
    except DBAPIError as error:
        sqlstate = getattr(error.orig, "sqlstate", None)
        if sqlstate in {"23505", "42710"}:
            raise ConflictError(
                f"The user name {login} is already taken by another account; choose another."
            ) from None
        if sqlstate == "55000":
            raise ValidationError(
                "This therapist is deactivated; reactivate them before giving them a login."
            ) from None
        if sqlstate == "22023":
            raise ValidationError(
                f"The user name {login} or the password was not accepted."
            ) from None
        raise


def _provisioned(uow: UnitOfWork) -> bool:
    found = uow.session.execute(
        sa.text("SELECT to_regprocedure('backoffice.create_therapist_login(text, text)')")
    ).scalar()
    return found is not None
