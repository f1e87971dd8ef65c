"""Staff logins: one PostgreSQL login role per person, member of one group, linked to `users`.

Run by the database owner (`backoffice staff ...`). The password never reaches the server in clear:
the SCRAM verifier is computed on this machine by libpq, and only the verifier is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import sql
from sqlalchemy import text
from sqlalchemy.engine import Connection

from backoffice.errors import ConflictError, NotFound, ValidationError
from backoffice.models.backoffice import STAFF_ROLES
from backoffice.owner.provisioning.groups import clinic_groups
from backoffice.services.audit import append_event
from backoffice.services.login import NO_DASHBOARD_PASSWORD, check_login_name, check_password


@dataclass(frozen=True)
class WebsiteUser:
    """The `users` row a staff account is linked to, and whether it was there before."""

    id: int
    username: str
    existed: bool


@dataclass(frozen=True)
class StaffRow:
    login_role: str
    role: str
    display_name: str
    therapist_id: str | None
    is_active: bool
    website_user: WebsiteUser | None = None


_STAFF_ACCOUNT = text(
    "INSERT INTO backoffice.staff_accounts (login_role, role, display_name, user_id, therapist_id) "
    "VALUES (:login, :role, :name, :user_id, :therapist_id)"
)


def add_staff(
    conn: Connection,
    *,
    username: str,
    role: str,
    password: str,
    therapist_id: str | None = None,
    display_name: str | None = None,
) -> StaffRow:
    """Create the login role, link it to `users` (and the therapist), record the staff account."""
    _validate(conn, username=username, role=role, password=password, therapist_id=therapist_id)
    name = display_name or _therapist_name(conn, therapist_id) or username
    _create_login_role(conn, username, role, password)
    if therapist_id:
        user = _therapist_user(conn, therapist_id)
    else:
        user = _link_user(conn, username=username, role=role, name=name)
    staff = StaffRow(username, role, name, therapist_id, True, user)
    _record_account(conn, staff, user.id)
    append_event(
        conn,
        "staff.added",
        subject_type="staff_account",
        subject_id=username,
        details={"role": role, "therapist_id": therapist_id},
    )
    return staff


def _record_account(conn: Connection, staff: StaffRow, user_id: int) -> None:
    conn.execute(
        _STAFF_ACCOUNT,
        {
            "login": staff.login_role,
            "role": staff.role,
            "name": staff.display_name,
            "user_id": user_id,
            "therapist_id": staff.therapist_id,
        },
    )


def disable_staff(conn: Connection, *, username: str) -> bool:
    """Refuse further logins, take the login's groups away and end its open sessions; the person's
    history stays. Audited by `backoffice.disable_login` itself. Returns False when the open
    sessions could not be ended (the owner lacks pg_signal_backend): they are then refused their
    next statement instead."""
    found = conn.execute(
        text("SELECT 1 FROM backoffice.staff_accounts WHERE login_role = :login"),
        {"login": username},
    ).first()
    if found is None:
        raise NotFound(f"There is no staff account named {username}.")
    return bool(
        conn.scalar(
            text("SELECT backoffice.disable_login(:login, 'disabled by the database owner')"),
            {"login": username},
        )
    )


def list_staff(conn: Connection) -> list[StaffRow]:
    rows = conn.execute(
        text(
            "SELECT login_role, role, display_name, therapist_id, is_active "
            "FROM backoffice.staff_accounts ORDER BY role, login_role"
        )
    )
    return [StaffRow(*row) for row in rows]


def _validate(
    conn: Connection, *, username: str, role: str, password: str, therapist_id: str | None
) -> None:
    if role not in STAFF_ROLES:
        raise ValidationError(f"The role must be one of {', '.join(STAFF_ROLES)}, not '{role}'.")
    check_login_name(username)
    check_password(password)
    if (role == "therapist") != bool(therapist_id):
        raise ValidationError(
            "A therapist login needs --therapist-id, and only a therapist login takes one."
        )
    if therapist_id and _therapist_name(conn, therapist_id) is None:
        raise NotFound(f"There is no therapist with the id {therapist_id}.")
    if conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": username}):
        raise ConflictError(
            f"A database login named {username} already exists; choose another name."
        )


def _therapist_name(conn: Connection, therapist_id: str | None) -> str | None:
    if not therapist_id:
        return None
    return conn.scalar(
        text("SELECT name FROM public.therapists WHERE therapist_id = :t"), {"t": therapist_id}
    )


def _create_login_role(conn: Connection, username: str, role: str, password: str) -> None:
    pgconn = conn.connection.driver_connection.pgconn  # type: ignore[union-attr]
    verifier = pgconn.encrypt_password(password.encode(), username.encode(), b"scram-sha-256")
    statement = sql.SQL(
        "CREATE ROLE {} LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS "
        "PASSWORD {} IN ROLE {}"
    ).format(
        sql.Identifier(username),
        sql.Literal(verifier.decode()),
        sql.Identifier(clinic_groups(conn).of(role)),
    )
    _ddl(conn, statement)


def _ddl(conn: Connection, statement: sql.Composed) -> None:
    """Run a statement with identifiers and literals quoted by psycopg (DDL takes no parameters)."""
    conn.exec_driver_sql(statement.as_string(conn.connection.driver_connection))


def _therapist_user(conn: Connection, therapist_id: str) -> WebsiteUser:
    """The therapist's own website user, found by their therapist id (or made, without a website
    password), by the same audited function approval uses: one therapist, one website user."""
    before = conn.scalar(_THERAPISTS_USER, {"t": therapist_id})
    user_id = int(
        conn.scalar(
            text("SELECT backoffice.therapist_website_user(:t, NULL, :name)"),
            {"t": therapist_id, "name": _therapist_name(conn, therapist_id)},
        )
    )
    username = str(
        conn.scalar(text("SELECT username FROM public.users WHERE id = :i"), {"i": user_id})
    )
    return WebsiteUser(user_id, username, existed=before == user_id)


_THERAPISTS_USER = text(
    "SELECT id FROM public.users WHERE therapist_id = :t AND role = 'therapist' ORDER BY id LIMIT 1"
)


def _link_user(conn: Connection, *, username: str, role: str, name: str) -> WebsiteUser:
    existing = conn.scalar(text("SELECT id FROM public.users WHERE username = :u"), {"u": username})
    if existing is not None:
        return WebsiteUser(int(existing), username, existed=True)
    new_id = conn.scalar(
        text(
            "INSERT INTO public.users (username, password, name, role, full_name) "
            "VALUES (:u, :p, :name, :role, :name) RETURNING id"
        ),
        {"u": username, "p": NO_DASHBOARD_PASSWORD, "name": name, "role": role},
    )
    return WebsiteUser(int(new_id), username, existed=False)
