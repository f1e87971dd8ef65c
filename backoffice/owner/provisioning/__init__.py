"""`db provision`: group roles, grants and row-level security, run by the database owner; idempotent.

Each run revokes what the three groups had and grants the access matrix afresh, so the database
always says exactly what `access_matrix.GRANTS` says, however often it runs.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Connection

from backoffice import migrations
from backoffice.errors import ValidationError
from backoffice.owner.provisioning.access_matrix import GRANTS, GROUPS, qualified
from backoffice.owner.provisioning.chart_functions import chart_function_statements
from backoffice.owner.provisioning.note_reads import note_read_statements
from backoffice.owner.provisioning.row_security import function_statements, policy_statements
from backoffice.owner.provisioning.therapist_logins import therapist_login_statements

_SERIAL_SEQUENCE = text(
    "SELECT pg_get_serial_sequence(:table, a.attname) FROM pg_attribute a "
    "WHERE a.attrelid = CAST(:table AS regclass) AND a.attnum > 0 "
    "AND pg_get_serial_sequence(:table, a.attname) IS NOT NULL"
)


def provision(conn: Connection) -> None:
    """Create the group roles, grant the access matrix, enable row-level security (one transaction)."""
    if migrations.schema_state(conn) != "current":
        raise ValidationError(
            "The backoffice schema is missing or out of date: run `backoffice db upgrade` first."
        )
    _create_group_roles(conn)
    _revoke_everything(conn)
    for statement in _grant_statements(conn):
        conn.execute(text(statement))
    for statement in (
        function_statements()
        + policy_statements()
        + therapist_login_statements()
        + note_read_statements()
        + chart_function_statements()
    ):
        conn.execute(text(statement))


def _create_group_roles(conn: Connection) -> None:
    existing = set(
        conn.scalars(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
            {"names": list(GROUPS)},
        )
    )
    for group in GROUPS:
        if group not in existing:
            conn.execute(text(f"CREATE ROLE {group} NOLOGIN"))
        # A group never carries powers a login could inherit.
        conn.execute(
            text(f"ALTER ROLE {group} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS")
        )


def _revoke_everything(conn: Connection) -> None:
    groups = ", ".join(GROUPS)
    for schema in ("public", "backoffice"):
        conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {groups}"))
        conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {groups}"))
        conn.execute(text(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {schema} FROM {groups}"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public, backoffice TO {groups}"))


def _grant_statements(conn: Connection) -> list[str]:
    statements = []
    for group, table, privileges in GRANTS:
        statements.append(f"GRANT {privileges} ON {qualified(table)} TO {group}")
        if re.search(r"\bINSERT\b", privileges):
            # A serial column's default calls nextval(), which needs USAGE on its sequence.
            for sequence in conn.scalars(_SERIAL_SEQUENCE, {"table": qualified(table)}):
                statements.append(f"GRANT USAGE ON SEQUENCE {sequence} TO {group}")
    return statements
