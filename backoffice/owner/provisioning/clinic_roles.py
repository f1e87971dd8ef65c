"""The roles of one clinic database on a shared server: its groups, who is in them, who may connect,
and whether the owner may end a disabled login's sessions. Part of `db provision`.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import sql
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from backoffice.owner.provisioning import groups as g
from backoffice.owner.provisioning.groups import ClinicGroups


@dataclass(frozen=True)
class Settled:
    """The clinic's groups, and the groups that hold privileges here but are not (or no longer)
    this clinic's: taken away by provisioning."""

    groups: ClinicGroups
    previous: tuple[str, ...]
    legacy: tuple[str, ...]  # the server-wide groups of old: their staff members move out
    notes: tuple[str, ...]


def settle_groups(conn: Connection, database_name: str | None = None) -> Settled:
    """Keep this database's groups, or name new ones (first provisioning, or a copied database)."""
    legacy = tuple(conn.scalars(_EXISTING, {"names": list(g.LEGACY_GROUPS.values())}))
    groups = g.stored_groups(conn)
    notes: list[str] = []
    if groups is not None and (elsewhere := g.opened_elsewhere(conn, groups)):
        notes.append(
            f"This database is a copy of {', '.join(elsewhere)}: it gets groups of its own, "
            "and the groups of the original lose every privilege here."
        )
        groups = None
    if groups is None:
        groups = g.new_groups(conn, database_name)
        g.store_groups(conn, groups)
    _create_groups(conn, groups)
    strangers = conn.scalars(_GROUPS_WITH_PRIVILEGES, {"ours": list(groups.all)})
    previous = tuple(sorted({*legacy, *strangers}))
    return Settled(groups, previous, legacy, tuple(notes))


_EXISTING = text("SELECT rolname::text FROM pg_roles WHERE rolname = ANY(:names) ORDER BY 1")
# Back-office groups that are not this clinic's but hold something here: the groups of the
# database this one was copied from, or groups renamed by hand.
_GROUPS_WITH_PRIVILEGES = text("""
SELECT DISTINCT r.rolname::text FROM (
    SELECT (aclexplode(c.relacl)).grantee FROM pg_class c
    WHERE c.relnamespace IN ('public'::regnamespace, 'backoffice'::regnamespace)
    UNION SELECT (aclexplode(p.proacl)).grantee FROM pg_proc p
    WHERE p.pronamespace IN ('public'::regnamespace, 'backoffice'::regnamespace)
    UNION SELECT (aclexplode(n.nspacl)).grantee FROM pg_namespace n
    WHERE n.nspname IN ('public', 'backoffice')
    UNION SELECT (aclexplode(d.datacl)).grantee FROM pg_database d
    WHERE d.datname = current_database()
) held JOIN pg_roles r ON r.oid = held.grantee
WHERE r.rolname LIKE 'backoffice\\_%' AND NOT r.rolcanlogin AND r.rolname <> ALL(:ours)
""")


def _create_groups(conn: Connection, groups: ClinicGroups) -> None:
    existing = set(conn.scalars(_EXISTING, {"names": list(groups.all)}))
    database = conn.scalar(text("SELECT current_database()"))
    for kind in g.KINDS:
        name = groups.of(kind)
        if name not in existing:
            conn.execute(text(f"CREATE ROLE {name} NOLOGIN"))
            comment = f"Clinic back-office: the {kind} group of database {database}"
            _ddl(conn, sql.SQL(f"COMMENT ON ROLE {name} IS {{}}").format(sql.Literal(comment)))
    # A group never carries powers a login could inherit. Altered only when it has one: only a
    # superuser may even mention SUPERUSER in ALTER ROLE, and the owner need not be one.
    for name in conn.scalars(_POWERFUL, {"names": list(groups.all)}):
        conn.execute(
            text(f"ALTER ROLE {name} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS")
        )


_POWERFUL = text(
    "SELECT rolname::text FROM pg_roles WHERE rolname = ANY(:names) "
    "AND (rolcanlogin OR rolsuper OR rolcreatedb OR rolcreaterole OR rolbypassrls)"
)


_STAFF_LOGINS = text("""
SELECT s.login_role::text, s.role::text, s.is_active, s.must_set_password,
       ARRAY(SELECT m.roleid::regrole::text FROM pg_auth_members m WHERE m.member = r.oid)
FROM backoffice.staff_accounts s JOIN pg_roles r ON r.rolname = s.login_role
ORDER BY s.login_role
""")


def settle_memberships(conn: Connection, settled: Settled) -> int:
    """Each staff login in exactly the group of its account (none when disabled); returns how many
    logins left the server-wide groups of old."""
    groups, moved = settled.groups, 0
    ours = {*groups.all, *settled.legacy}
    for login, role, active, pending, member_of in conn.execute(_STAFF_LOGINS):
        wanted = set() if not active else {groups.pending if pending else groups.of(role)}
        for group in sorted(wanted - set(member_of)):
            conn.execute(text(f"GRANT {group} TO {login}"))
        for group in sorted((set(member_of) & ours) - wanted):
            conn.execute(text(f"REVOKE {group} FROM {login}"))
        moved += bool(set(member_of) & set(settled.legacy))
    return moved


# Roles that already use this clinic's tables (the booking website, the therapist dashboard...):
# they keep CONNECT when PUBLIC loses it. Back-office groups of any clinic are not among them.
_OTHER_USERS = text("""
SELECT DISTINCT r.rolname::text FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (SELECT a.grantee FROM aclexplode(c.relacl) a UNION SELECT c.relowner) u
JOIN pg_roles r ON r.oid = u.grantee
WHERE n.nspname IN ('public', 'backoffice') AND NOT r.rolsuper
  AND r.rolname NOT LIKE 'backoffice\\_%'
  AND r.oid <> (SELECT datdba FROM pg_database WHERE datname = current_database())
ORDER BY 1
""")


def restrict_connect(conn: Connection, settled: Settled) -> tuple[str, ...]:
    """CONNECT for this clinic's groups and the roles that already use its tables, not PUBLIC."""
    keep = list(conn.scalars(_OTHER_USERS))
    _connect(conn, "REVOKE", "FROM", "PUBLIC")
    for name in settled.previous:
        _connect(conn, "REVOKE", "FROM", name)
    for name in (*settled.groups.all, *keep):
        _connect(conn, "GRANT", "TO", name)
    if not keep:
        return ()
    return (
        f"CONNECT is no longer granted to everybody: {', '.join(keep)} already used this "
        "database's tables and keep it; grant it to any other program's role that needs it.",
    )


def _connect(conn: Connection, verb: str, preposition: str, grantee: str) -> None:
    database = str(conn.scalar(text("SELECT current_database()")))
    who = sql.SQL("PUBLIC") if grantee == "PUBLIC" else sql.Identifier(grantee)
    statement = sql.SQL("{} CONNECT ON DATABASE {} {} {}").format(
        sql.SQL(verb), sql.Identifier(database), sql.SQL(preposition), who
    )
    _ddl(conn, statement)


def _ddl(conn: Connection, statement: sql.Composed) -> None:
    """Run a statement quoted by psycopg (utility statements take no parameters)."""
    conn.exec_driver_sql(statement.as_string(conn.connection.driver_connection))


def signal_permission(conn: Connection) -> tuple[str, ...]:
    """Make sure the owner may end a disabled login's open sessions (pg_signal_backend)."""
    if _may_signal(conn):
        return ()
    try:
        with conn.begin_nested():
            conn.execute(text("GRANT pg_signal_backend TO CURRENT_USER"))
    except DBAPIError:
        pass
    if _may_signal(conn):
        return ()
    owner = conn.scalar(text("SELECT current_user"))
    return (
        f"A superuser must run `GRANT pg_signal_backend TO {owner}`: until then, disabling a "
        "login refuses its new connections and takes its groups away, but cannot end the "
        "sessions it already has open.",
    )


def _may_signal(conn: Connection) -> bool:
    return bool(conn.scalar(text("SELECT pg_has_role(current_user, 'pg_signal_backend', 'USAGE')")))
