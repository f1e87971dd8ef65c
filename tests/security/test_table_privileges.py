"""Each role, logged in with plain psycopg, tries every command on every table: PostgreSQL refuses
everything the role must not do.

The expectations below are written out by hand, not derived from the access matrix in the code, so
that a grant added or dropped there by mistake fails here.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors, sql

PUBLIC_TABLES = (
    "users",
    "therapists",
    "bookings",
    "booking_cancelled",
    "booking_requests",
    "client_session_notes",
    "client_additional_notes",
    "client_doc_form",
    "client_transfer_history",
    "payments",
    "refund_cancellation_table",
    "therapist_dashboard_stats",
    "therapist_clients_summary",
    "therapist_appointments_cache",
    "therapist_resources",
    "all_clients_table",
    "appointment_table",
    "audit_logs",
    "notifications",
    "aisensy_campaign_api",
)
BACKOFFICE_TABLES = (
    "staff_accounts",
    "therapist_applications",
    "refunds",
    "refund_events",
    "note_reviews",
    "note_openings",
    "shared_note_access",
    "audit_events",
    "audit_chain",
    "settings",
    "alembic_version",
    "therapist_status_changes",
    "refund_balances",
)
COMMANDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")

SEL, INS, UPD, DEL = "SELECT", "INSERT", "UPDATE", "DELETE"
# What each role may do with whole rows (SELECT *) or the table's first column. Anything not
# listed must be refused with "permission denied".
MAY = {
    "admin": {
        "therapists": {SEL, INS, UPD},
        # "users": nothing on whole rows: website logins are the website's (#11 item 7)
        "bookings": {SEL},
        "booking_cancelled": {SEL, INS},
        "booking_requests": {SEL},
        # whole rows hold the content: only the metadata columns (test_note_content_reads)
        "client_additional_notes": {SEL},
        "client_doc_form": {SEL},
        "client_transfer_history": {SEL, INS},
        "payments": {SEL},
        "refund_cancellation_table": {SEL, INS},
        "therapist_dashboard_stats": {SEL, INS, UPD},
        "therapist_clients_summary": {SEL, INS, UPD, DEL},
        "therapist_appointments_cache": {SEL, INS, UPD, DEL},
        "therapist_resources": {SEL},
        "all_clients_table": {SEL},
        "appointment_table": {SEL},
        "audit_logs": {SEL},
        "notifications": {SEL, INS},
        "aisensy_campaign_api": {SEL},
        "staff_accounts": {SEL},
        "therapist_applications": {SEL, INS, UPD},
        "refunds": {SEL},
        "refund_events": {SEL},
        "refund_balances": {SEL},
        "note_reviews": {SEL},
        "note_openings": {SEL},
        "shared_note_access": {SEL},
        "audit_events": {SEL},
        "audit_chain": {SEL},
        "settings": {SEL, INS},
        "alembic_version": {SEL},
        "therapist_status_changes": {SEL},
    },
    "finance": {
        "booking_cancelled": {SEL, INS},
        "payments": {SEL},
        "refund_cancellation_table": {SEL, INS},
        # "notifications": nothing; refund notices through a function (#11 item 13)
        "refunds": {SEL},
        "refund_events": {SEL},
        "refund_balances": {SEL},
        "audit_chain": {SEL},
        "settings": {SEL},
        "alembic_version": {SEL},
    },
    "therapist_a": {
        "client_additional_notes": {SEL},
        "client_doc_form": {SEL},
        "client_transfer_history": {SEL},
        "therapist_dashboard_stats": {SEL},
        "therapist_clients_summary": {SEL},
        "therapist_appointments_cache": {SEL},
        "all_clients_table": {SEL},
        "appointment_table": {SEL},
        "notifications": {SEL},
        "audit_chain": {SEL},
        "settings": {SEL},
        "alembic_version": {SEL},
    },
}


def _first_column(conn: psycopg.Connection, schema: str, table: str) -> str:
    row = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
        "AND table_name = %s ORDER BY ordinal_position LIMIT 1",
        (schema, table),
    ).fetchone()
    assert row is not None, f"{schema}.{table} has no columns"
    return row[0]


_ATTEMPTS = {
    "SELECT": "SELECT * FROM {table} WHERE false",
    "INSERT": "INSERT INTO {table} ({column}) VALUES (NULL)",
    "UPDATE": "UPDATE {table} SET {column} = NULL WHERE false",
    "DELETE": "DELETE FROM {table} WHERE false",
    "TRUNCATE": "TRUNCATE {table}",
}


def _attempt(command: str, table: sql.Composable, column: sql.Identifier) -> sql.Composed:
    return sql.SQL(_ATTEMPTS[command]).format(table=table, column=column)


def _refused(conn: psycopg.Connection, statement: sql.Composed) -> bool:
    """Run the statement in a transaction that is always rolled back; was it a privilege refusal?"""
    try:
        with conn.transaction(force_rollback=True):
            conn.execute(statement)
    except errors.InsufficientPrivilege:
        return True
    except psycopg.Error:
        return False  # refused for another reason (NOT NULL...): the privilege was there
    return False


@pytest.mark.parametrize("who", sorted(MAY))
def test_each_role_is_refused_every_command_it_must_not_run(secured_clinic, who):
    wrongly_allowed, wrongly_refused = [], []
    with secured_clinic.owner() as owner, secured_clinic.connect(who, autocommit=True) as conn:
        for schema, tables in (("public", PUBLIC_TABLES), ("backoffice", BACKOFFICE_TABLES)):
            for table in tables:
                column = sql.Identifier(_first_column(owner, schema, table))
                for command in COMMANDS:
                    statement = _attempt(command, sql.Identifier(schema, table), column)
                    refused = _refused(conn, statement)
                    allowed = command in MAY[who].get(table, set())
                    if allowed and refused:
                        wrongly_refused.append(f"{command} {schema}.{table}")
                    if not allowed and not refused:
                        wrongly_allowed.append(f"{command} {schema}.{table}")
    assert wrongly_allowed == [], f"PostgreSQL let {who} do what the role must not"
    assert wrongly_refused == [], f"PostgreSQL refused {who} what the role needs"


@pytest.mark.parametrize(
    ("who", "column", "allowed"),
    [
        ("finance", "refund_amount", True),
        ("finance", "invitee_payment_amount", True),
        ("finance", "invitee_question", False),
        ("finance", "emergency_contact_number", False),
        ("therapist_a", "invitee_question", True),
        ("therapist_a", "emergency_contact_number", True),
        ("therapist_a", "invitee_payment_amount", False),
        ("therapist_a", "refund_amount", False),
    ],
)
def test_bookings_columns_split_money_from_clinical_content(secured_clinic, who, column, allowed):
    statement = sql.SQL("SELECT {} FROM public.bookings").format(sql.Identifier(column))
    with secured_clinic.connect(who, autocommit=True) as conn:
        assert _refused(conn, statement) is not allowed


@pytest.mark.parametrize("who", ["admin", "finance"])
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE public.payments SET refund_amount = 0 WHERE false",
        "UPDATE public.payments SET refund_status = 'failed' WHERE false",
        "UPDATE public.payments SET amount = 0 WHERE false",
        "UPDATE public.bookings SET refund_amount = 0 WHERE false",
        "UPDATE public.bookings SET refund_status = 'failed' WHERE false",
        "UPDATE backoffice.refund_balances SET refunded_before = 0 WHERE false",
    ],
)
def test_no_staff_role_writes_a_payments_money_directly(secured_clinic, who, statement):
    with secured_clinic.connect(who, autocommit=True) as conn:
        assert _refused(conn, sql.SQL(statement))  # type: ignore[arg-type]


@pytest.mark.parametrize("who", ["admin", "finance", "therapist_a"])
def test_nobody_can_forge_the_actor_of_an_audit_event(secured_clinic, who):
    forged = sql.SQL(
        "INSERT INTO backoffice.audit_events (actor, action, subject_type) "
        "VALUES ('someone_else', 'x', 'y')"
    )
    probe = f"probe-{who}"
    with secured_clinic.connect(who) as conn:
        assert _refused(conn, forged)
        conn.execute(
            "INSERT INTO backoffice.audit_events (action, subject_type, subject_id) "
            "VALUES ('security.probe', 'test', %s)",
            (probe,),
        )
        conn.commit()
    with secured_clinic.owner() as owner:
        actors = owner.execute(
            "SELECT actor FROM backoffice.audit_events WHERE subject_id = %s", (probe,)
        ).fetchall()
    assert actors == [(secured_clinic.logins[who],)]
