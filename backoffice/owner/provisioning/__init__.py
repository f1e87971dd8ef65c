"""`db provision`: this clinic's group roles, grants and row-level security, run by the database
owner; idempotent.

Each run revokes what the clinic's groups (and the groups it used before) had and grants the access
matrix afresh, so the database always says exactly what `access_matrix.GRANTS` says, however often it
runs. The groups are this database's own (`groups`): CONNECT is theirs, not everybody's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from backoffice import migrations
from backoffice.errors import ValidationError
from backoffice.owner.provisioning import clinic_roles
from backoffice.owner.provisioning.access_matrix import GRANTS, qualified
from backoffice.owner.provisioning.chart_functions import chart_function_statements
from backoffice.owner.provisioning.disabling import disabling_statements
from backoffice.owner.provisioning.groups import ClinicGroups
from backoffice.owner.provisioning.note_reads import note_read_statements
from backoffice.owner.provisioning.offline_functions import offline_function_statements
from backoffice.owner.provisioning.refund_notices import refund_notice_statements
from backoffice.owner.provisioning.risk_phrases import lexicon_provisioned, risk_scan_statements
from backoffice.owner.provisioning.row_security import function_statements, policy_statements
from backoffice.owner.provisioning.settings_choices import settings_choice_statements
from backoffice.owner.provisioning.therapist_logins import therapist_login_statements
from backoffice.owner.provisioning.website_users import website_user_statements

# Serial columns only: an identity column's sequence needs no privilege of the inserting role, and
# USAGE on a sequence lets a role call nextval() and learn how many rows the clinic ever had.
_SERIAL_SEQUENCE = text(
    "SELECT pg_get_serial_sequence(:table, a.attname) FROM pg_attribute a "
    "WHERE a.attrelid = CAST(:table AS regclass) AND a.attnum > 0 AND a.attidentity = '' "
    "AND NOT a.attisdropped "
    "AND pg_get_serial_sequence(:table, a.attname) IS NOT NULL"
)


@dataclass(frozen=True)
class ProvisionReport:
    groups: ClinicGroups
    notes: tuple[str, ...]  # sentences for the person who ran it


def provision(conn: Connection, *, database_name: str | None = None) -> ProvisionReport:
    """Create the clinic's groups, grant the access matrix, enable row-level security, let only the
    clinic's groups connect (one transaction). `database_name` names new groups (default: this
    database's own name)."""
    if migrations.schema_state(conn) != "current":
        raise ValidationError(
            "The backoffice schema is missing or out of date: run `backoffice db upgrade` first."
        )
    settled = clinic_roles.settle_groups(conn, database_name)
    groups = settled.groups
    _revoke_everything(conn, (*groups.all, *settled.previous))
    for statement in _grant_statements(conn, groups):
        conn.execute(text(statement))
    for statement in _function_and_policy_statements(groups):
        conn.execute(text(statement))
    moved = clinic_roles.settle_memberships(conn, settled)
    notes = list(settled.notes)
    if moved:
        notes.append(_moved_sentence(moved, settled.legacy))
    notes += clinic_roles.restrict_connect(conn, settled)
    notes += clinic_roles.signal_permission(conn)
    return ProvisionReport(groups, tuple(notes))


def _function_and_policy_statements(groups: ClinicGroups) -> list[str]:
    return (
        function_statements(groups)
        + policy_statements(groups)
        + therapist_login_statements(groups)
        + note_read_statements(groups)
        + chart_function_statements(groups)
        + offline_function_statements(groups)
        + disabling_statements()
        + website_user_statements(groups)
        + refund_notice_statements(groups)
        + settings_choice_statements(groups)
        + risk_scan_statements(groups)
    )


def _moved_sentence(moved: int, legacy: tuple[str, ...]) -> str:
    return (
        f"{moved} staff login(s) moved from the server-wide groups {', '.join(legacy)} to this "
        "clinic's own; drop those groups once no other clinic database on this server uses them."
    )


def _revoke_everything(conn: Connection, names: tuple[str, ...]) -> None:
    groups = ", ".join(names)
    for schema in ("public", "backoffice"):
        conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {groups}"))
        conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {groups}"))
        conn.execute(text(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {schema} FROM {groups}"))
        conn.execute(text(f"REVOKE ALL ON SCHEMA {schema} FROM {groups}"))


def _grant_statements(conn: Connection, groups: ClinicGroups) -> list[str]:
    statements = [f"GRANT USAGE ON SCHEMA public, backoffice TO {groups.sql_list()}"]
    statements.append(f"GRANT USAGE ON SCHEMA backoffice TO {groups.pending}")
    for kind, table, privileges in GRANTS:
        group = groups.of(kind)
        statements.append(f"GRANT {privileges} ON {qualified(table)} TO {group}")
        if re.search(r"\bINSERT\b", privileges):
            # A serial column's default calls nextval(), which needs USAGE on its sequence.
            for sequence in conn.scalars(_SERIAL_SEQUENCE, {"table": qualified(table)}):
                statements.append(f"GRANT USAGE ON SEQUENCE {sequence} TO {group}")
    return statements


__all__ = ["ProvisionReport", "lexicon_provisioned", "provision"]
