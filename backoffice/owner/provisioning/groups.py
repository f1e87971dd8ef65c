"""This clinic database's group roles: the one place that says what they are called.

A PostgreSQL role belongs to the whole server, so groups named the same in every database would let
an admin of one clinic into every other clinic on that server. Each clinic database therefore gets
its own four groups, `backoffice_<database>_admin|finance|therapist|pending`, named when it is
first provisioned and remembered in `backoffice.group_roles` (a database renamed later keeps them).

A database copied from another clinic's (CREATE DATABASE ... TEMPLATE, a restore) arrives with the
same names in that table; when those groups open another database, the copy gets groups of its own.
Databases provisioned before groups were per clinic used the server-wide `backoffice_admin`,
`backoffice_finance` and `backoffice_therapist`: `LEGACY_GROUPS`, which provisioning moves away from.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from backoffice.errors import ValidationError

KINDS = ("admin", "finance", "therapist", "pending")
LEGACY_GROUPS = {
    "admin": "backoffice_admin",
    "finance": "backoffice_finance",
    "therapist": "backoffice_therapist",
}
_MAX_NAME = 63


@dataclass(frozen=True)
class ClinicGroups:
    """The group role of each kind of login in one clinic database."""

    admin: str
    finance: str
    therapist: str
    pending: str  # a login that must set its own password before it may do anything else

    def of(self, kind: str) -> str:
        if kind not in KINDS:
            raise ValueError(f"no group for {kind!r}")
        return str(getattr(self, kind))

    @property
    def staff(self) -> tuple[str, str, str]:
        """The groups that hold the access matrix: admin, finance, therapist."""
        return (self.admin, self.finance, self.therapist)

    @property
    def all(self) -> tuple[str, ...]:
        return (*self.staff, self.pending)

    def sql_list(self, *, with_pending: bool = False) -> str:
        """The names for a GRANT or REVOKE (plain identifiers: see `_NAME`)."""
        return ", ".join(self.all if with_pending else self.staff)


_STORED = text("SELECT kind, role_name FROM backoffice.group_roles")
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")  # usable unquoted in SQL


def clinic_groups(conn: Connection) -> ClinicGroups:
    """The groups of the database `conn` is on; ValidationError when it was never provisioned."""
    groups = stored_groups(conn)
    if groups is None:
        raise ValidationError(
            "This database has no back-office groups yet: run `backoffice db provision` first."
        )
    return groups


def stored_groups(conn: Connection) -> ClinicGroups | None:
    stored = {kind: str(name) for kind, name in conn.execute(_STORED)}
    if set(stored) != set(KINDS) or not all(_NAME.match(n) for n in stored.values()):
        return None
    return ClinicGroups(**stored)


def opened_elsewhere(conn: Connection, groups: ClinicGroups) -> list[str]:
    """Other databases that grant CONNECT to these groups: this database is a copy of theirs."""
    return list(
        conn.scalars(
            text(
                "SELECT DISTINCT d.datname FROM pg_database d, aclexplode(d.datacl) a "
                "JOIN pg_roles r ON r.oid = a.grantee "
                "WHERE r.rolname = ANY(:names) AND d.datname <> current_database() "
                "ORDER BY 1"
            ),
            {"names": list(groups.all)},
        )
    )


def new_groups(conn: Connection, database_name: str | None = None) -> ClinicGroups:
    """Fresh names from the database's name; a short hash is added when a name is taken."""
    database = database_name or str(conn.scalar(text("SELECT current_database()")))
    slug = re.sub(r"[^a-z0-9]+", "_", database.lower()).strip("_") or "clinic"
    room = _MAX_NAME - len("backoffice__") - len("therapist") - 7
    base = f"backoffice_{slug[:room]}"
    if _any_taken(conn, base):
        digest = hashlib.sha256(f"{database}:{_oid(conn)}".encode()).hexdigest()[:6]
        base = f"{base}_{digest}"
    if _any_taken(conn, base):
        raise ValidationError(
            f"Roles named {base}_admin and so on exist already: choose the groups' names by hand."
        )
    return ClinicGroups(**{kind: f"{base}_{kind}" for kind in KINDS})


def _any_taken(conn: Connection, base: str) -> bool:
    names = [f"{base}_{kind}" for kind in KINDS]
    return bool(
        conn.scalar(text("SELECT count(*) FROM pg_roles WHERE rolname = ANY(:n)"), {"n": names})
    )


def _oid(conn: Connection) -> int:
    return int(conn.scalar(text("SELECT oid FROM pg_database WHERE datname = current_database()")))


def store_groups(conn: Connection, groups: ClinicGroups) -> None:
    conn.execute(text("DELETE FROM backoffice.group_roles"))
    conn.execute(
        text("INSERT INTO backoffice.group_roles (kind, role_name) VALUES (:kind, :name)"),
        [{"kind": kind, "name": groups.of(kind)} for kind in KINDS],
    )
