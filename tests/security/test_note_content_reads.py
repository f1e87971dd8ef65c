"""Every read of a session note's content is on record, against raw SQL by every role.

The content columns are refused to the staff groups; the content comes only through
`backoffice.read_opened_notes(batch)`, which returns it for an opening of the same login that was
committed before the reading transaction wrote anything. Metadata (who, when, risk level, the
self-harm yes/no) stays readable for the review queue and the counts.
"""

from __future__ import annotations

import psycopg
import pytest

from tests.security.conftest import BOOKING_OF_A, BOOKING_OF_B

CONTENT = ("self_harm_details", "concerns_discussed", "protective_factors", "somatic_cues")
METADATA = (
    "note_id, booking_id, client_name, session_timing, host_name, session_status, "
    "self_harm_mention, current_risk_level, created_at, updated_at"
)


def _note_of(clinic, booking_id: str) -> int:
    with clinic.owner() as owner:
        row = owner.execute(
            "SELECT note_id FROM client_session_notes WHERE booking_id = %s", (booking_id,)
        ).fetchone()
    assert row is not None
    return int(row[0])


def _openings(clinic, note_id: int) -> list[tuple]:
    with clinic.owner() as owner:
        return owner.execute(
            "SELECT opened_by FROM backoffice.note_openings WHERE note_id = %s ORDER BY id",
            (note_id,),
        ).fetchall()


def _open(conn: psycopg.Connection, *note_ids: int) -> int:
    row = conn.execute(
        "SELECT batch_id FROM backoffice.record_note_opening(CAST(%s AS integer[]))",
        (list(note_ids),),
    ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize("who", ["admin", "therapist_a"])
@pytest.mark.parametrize("column", CONTENT)
def test_no_staff_role_selects_note_content_directly(secured_clinic, who, column):
    with (
        secured_clinic.connect(who, autocommit=True) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(f"SELECT {column} FROM public.client_session_notes")


@pytest.mark.parametrize("who", ["admin", "therapist_a"])
def test_no_staff_role_reads_content_through_a_join_a_view_or_a_whole_row(secured_clinic, who):
    attempts = [
        "SELECT * FROM client_session_notes",
        "SELECT n FROM client_session_notes n",
        "SELECT to_jsonb(n) FROM client_session_notes n",
        "SELECT n.self_harm_details FROM bookings b JOIN client_session_notes n USING (booking_id)",
        "WITH n AS (SELECT * FROM client_session_notes) SELECT count(*) FROM n",
    ]
    with secured_clinic.connect(who, autocommit=True) as conn:
        for attempt in attempts:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(attempt)


@pytest.mark.parametrize("who", ["admin", "therapist_a"])
def test_the_metadata_stays_readable_for_the_queue_and_the_counts(secured_clinic, who):
    with secured_clinic.connect(who, autocommit=True) as conn:
        rows = conn.execute(f"SELECT {METADATA} FROM client_session_notes").fetchall()
    assert BOOKING_OF_A in {row[1] for row in rows}


def test_content_comes_after_a_committed_opening_and_the_opening_is_on_record(secured_clinic):
    note_id = _note_of(secured_clinic, BOOKING_OF_B)
    before = _openings(secured_clinic, note_id)
    with secured_clinic.connect("admin", autocommit=True) as conn:
        batch = _open(conn, note_id)
        rows = conn.execute(
            "SELECT note_id, current_risk_level, self_harm_mention "
            "FROM backoffice.read_opened_notes(%s)",
            (batch,),
        ).fetchall()
    assert rows == [(note_id, "high", "yes")]
    assert _openings(secured_clinic, note_id) == [*before, (secured_clinic.logins["admin"],)]
    with secured_clinic.owner() as owner:
        events = owner.execute(
            "SELECT actor FROM backoffice.audit_events WHERE action = 'note.opened' "
            "AND subject_id = %s AND details ->> 'batch_id' = %s",
            (str(note_id), str(batch)),
        ).fetchall()
    assert events == [(secured_clinic.logins["admin"],)]


@pytest.mark.parametrize("savepoint", [False, True])
def test_an_opening_that_was_not_committed_does_not_unlock_the_content(secured_clinic, savepoint):
    note_id = _note_of(secured_clinic, BOOKING_OF_A)
    before = _openings(secured_clinic, note_id)
    with secured_clinic.connect("therapist_a") as conn:
        if savepoint:
            conn.execute("SAVEPOINT hide_it")
        batch = _open(conn, note_id)
        if savepoint:
            conn.execute("RELEASE SAVEPOINT hide_it")
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
            conn.execute("SELECT * FROM backoffice.read_opened_notes(%s)", (batch,))
        conn.rollback()
    assert _openings(secured_clinic, note_id) == before


def test_a_reading_transaction_that_wrote_anything_reads_no_content(secured_clinic):
    note_id = _note_of(secured_clinic, BOOKING_OF_A)
    with secured_clinic.connect("therapist_a", autocommit=True) as conn:
        batch = _open(conn, note_id)
    with secured_clinic.connect("therapist_a") as conn:
        conn.execute("INSERT INTO backoffice.audit_events (action, subject_type) VALUES ('x', 'y')")
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
            conn.execute("SELECT * FROM backoffice.read_opened_notes(%s)", (batch,))


def test_an_opening_is_good_for_its_own_login_and_a_few_minutes_only(secured_clinic):
    note_id = _note_of(secured_clinic, BOOKING_OF_A)
    with secured_clinic.connect("admin", autocommit=True) as conn:
        batch = _open(conn, note_id)
    with (
        secured_clinic.connect("therapist_a", autocommit=True) as conn,
        pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState),
    ):
        conn.execute("SELECT * FROM backoffice.read_opened_notes(%s)", (batch,))
    with secured_clinic.owner() as owner:
        owner.execute(
            "UPDATE backoffice.note_openings SET opened_at = opened_at - interval '1 hour' "
            "WHERE batch_id = %s",
            (batch,),
        )
    with (
        secured_clinic.connect("admin", autocommit=True) as conn,
        pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState),
    ):
        conn.execute("SELECT * FROM backoffice.read_opened_notes(%s)", (batch,))


def test_a_therapist_opens_only_notes_of_their_caseload(secured_clinic):
    other = _note_of(secured_clinic, BOOKING_OF_B)
    before = _openings(secured_clinic, other)
    with secured_clinic.connect("therapist_a", autocommit=True) as conn:
        with pytest.raises(psycopg.errors.NoDataFound):
            _open(conn, other)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO backoffice.note_openings (note_id) VALUES (%s)", (other,))
    assert _openings(secured_clinic, other) == before


def test_finance_can_neither_open_nor_read_a_note(secured_clinic):
    note_id = _note_of(secured_clinic, BOOKING_OF_A)
    with secured_clinic.connect("finance", autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _open(conn, note_id)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM backoffice.read_opened_notes(1)")
