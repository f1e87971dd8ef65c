"""#11 item 12: a therapist cannot learn clinic-wide counts from our sequences (`nextval` on
`backoffice.*_id_seq` tells how many rows were ever made), while still writing the rows their work
needs. What PostgreSQL does not let a database owner close (statistics views, EXPLAIN estimates) is
in the README's security section; the rows pg_stats would show of row-secured tables stay hidden."""

from __future__ import annotations

import pytest
from psycopg import errors, sql

SEQUENCES = """
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'S' AND n.nspname IN ('public', 'backoffice') ORDER BY 1, 2
"""
PEEKS = (
    "SELECT nextval({literal})",
    "SELECT currval({literal})",
    "SELECT last_value FROM {name}",
    "SELECT pg_sequence_last_value({literal})",
)


def _sequences(secured_clinic) -> list[tuple[str, str]]:
    with secured_clinic.owner() as owner:
        return owner.execute(SEQUENCES).fetchall()


def test_a_therapist_reads_no_sequence_of_the_clinic(secured_clinic):
    readable = []
    with secured_clinic.connect("therapist_a", autocommit=True) as conn:
        for schema, name in _sequences(secured_clinic):
            for peek in PEEKS:
                statement = sql.SQL(peek).format(
                    literal=sql.Literal(f"{schema}.{name}"), name=sql.Identifier(schema, name)
                )
                try:
                    conn.execute(statement)
                except (errors.InsufficientPrivilege, errors.ObjectNotInPrerequisiteState):
                    continue  # refused, or currval before any nextval: nothing learnt
                readable.append(f"{peek.split('(')[0]} {schema}.{name}")
    assert readable == []
    assert len(_sequences(secured_clinic)) > 10


@pytest.mark.parametrize(
    "insert",
    [
        "INSERT INTO backoffice.audit_events (action, subject_type) VALUES ('probe', 'test')",
        "SELECT backoffice.record_note_opening(array_agg(note_id), 'read') "
        "FROM client_session_notes",
    ],
)
def test_a_therapist_still_writes_the_rows_their_work_needs(secured_clinic, insert):
    with secured_clinic.connect("therapist_a") as conn, conn.transaction(force_rollback=True):
        assert conn.execute(insert).rowcount >= 1


def test_pg_stats_shows_no_value_of_a_row_secured_table(secured_clinic):
    with secured_clinic.owner() as owner:
        owner.execute("ANALYZE public.bookings")
    with secured_clinic.connect("therapist_a") as conn:
        rows = conn.execute(
            "SELECT attname FROM pg_stats WHERE schemaname = 'public' AND tablename = 'bookings'"
        ).fetchall()
    assert rows == []
