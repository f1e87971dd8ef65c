"""The client chart's doors as raw SQL, by the login that would try them: shared history only when
a transfer shared it, additional notes only on one's own sessions, finance nowhere."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from tests.security.conftest import (
    BOOKING_OF_A,
    BOOKING_OF_B,
    CLIENT_OF_A,
    CLIENT_OF_B,
    THERAPIST_A,
    THERAPIST_B,
)

SESSIONS = (
    "SELECT booking_id, starts_at IS NOT NULL, note_id IS NOT NULL "
    "FROM backoffice.client_sessions(CAST(%s AS text[])) ORDER BY booking_id"
)


@contextmanager
def shared(clinic, client_id: str, therapist_id: str) -> Iterator[None]:
    """The client's history shared with the therapist, as a transfer with sharing leaves it."""
    with clinic.owner() as owner:
        owner.execute(
            "INSERT INTO backoffice.shared_note_access (client_id, therapist_id) VALUES (%s, %s)",
            (client_id, therapist_id),
        )
    try:
        yield
    finally:
        with clinic.owner() as owner:
            owner.execute(
                "DELETE FROM backoffice.shared_note_access WHERE client_id = %s", (client_id,)
            )


def _sessions(clinic, who: str, *client_ids: str) -> list[tuple]:
    with clinic.connect(who, autocommit=True) as conn:
        return conn.execute(SESSIONS, (list(client_ids),)).fetchall()


def test_without_sharing_a_therapist_sees_no_session_of_another_therapists_client(secured_clinic):
    assert _sessions(secured_clinic, "therapist_a", CLIENT_OF_B) == []
    assert _sessions(secured_clinic, "therapist_a", CLIENT_OF_A, CLIENT_OF_B) == [
        (BOOKING_OF_A, True, True)
    ]
    with secured_clinic.connect("therapist_a", autocommit=True) as conn:
        assert conn.execute(
            "SELECT backoffice.client_of_booking(%s)", (BOOKING_OF_B,)
        ).fetchone() == (None,)


def test_shared_history_shows_the_earlier_sessions_dates_and_notes_to_the_receiving_therapist(
    secured_clinic,
):
    with shared(secured_clinic, CLIENT_OF_B, THERAPIST_A):
        seen = _sessions(secured_clinic, "therapist_a", CLIENT_OF_B)
        with secured_clinic.connect("therapist_a", autocommit=True) as conn:
            client = conn.execute(
                "SELECT backoffice.client_of_booking(%s)", (BOOKING_OF_B,)
            ).fetchone()
            note = conn.execute(
                "SELECT note_id FROM client_session_notes WHERE booking_id = %s", (BOOKING_OF_B,)
            ).fetchone()
            assert note is not None
            batch = conn.execute(
                "SELECT batch_id FROM backoffice.record_note_opening(ARRAY[%s])", note
            ).fetchone()
            content = conn.execute(
                "SELECT session_at IS NOT NULL, self_harm_details IS NULL "
                "FROM backoffice.read_opened_notes(%s)",
                batch,
            ).fetchall()
            bookings = conn.execute("SELECT booking_id FROM bookings").fetchall()
        third = _sessions(secured_clinic, "therapist_b", CLIENT_OF_A)
    assert seen == [(BOOKING_OF_B, True, True)]
    assert client == (CLIENT_OF_B,)
    assert content == [(True, True)]
    assert bookings == [(BOOKING_OF_A,)], "sharing notes must not hand over the other's bookings"
    assert third == [], "a share with one therapist shows nothing to another"


def test_the_admin_sees_every_session_and_finance_none(secured_clinic):
    assert _sessions(secured_clinic, "admin", CLIENT_OF_A, CLIENT_OF_B) == [
        (BOOKING_OF_A, True, True),
        (BOOKING_OF_B, True, True),
    ]
    with secured_clinic.connect("finance", autocommit=True) as conn:
        for attempt in (
            "SELECT * FROM backoffice.client_sessions(ARRAY['C-A1'])",
            "SELECT backoffice.client_of_booking('BK-A1')",
            "SELECT * FROM backoffice.add_additional_note('BK-A1', 'hello')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(attempt)


def _additional_notes(clinic, booking_id: str) -> list[tuple]:
    with clinic.owner() as owner:
        return owner.execute(
            "SELECT therapist_id, therapist_name, note_text FROM client_additional_notes "
            "WHERE booking_id = %s ORDER BY note_id",
            (booking_id,),
        ).fetchall()


def test_a_therapist_adds_a_note_to_their_own_session_under_their_own_name(secured_clinic):
    before = _additional_notes(secured_clinic, BOOKING_OF_A)
    with secured_clinic.connect("therapist_a") as conn:
        row = conn.execute(
            "SELECT note_id FROM backoffice.add_additional_note(%s, %s)",
            (BOOKING_OF_A, "  Called to check in.\nAgreed next steps.  "),
        ).fetchone()
        conn.commit()
    assert row is not None
    after = _additional_notes(secured_clinic, BOOKING_OF_A)
    with secured_clinic.owner() as owner:
        owner.execute("DELETE FROM client_additional_notes WHERE note_id = %s", row)
        events = owner.execute(
            "SELECT actor FROM backoffice.audit_events WHERE action = 'additional_note.added' "
            "AND subject_id = %s",
            (str(row[0]),),
        ).fetchall()
    assert after == [
        *before,
        (THERAPIST_A, "Ananya Iyer", "Called to check in.\nAgreed next steps."),
    ]
    assert events == [(secured_clinic.logins["therapist_a"],)]


@pytest.mark.parametrize(
    ("statement", "params"),
    [
        ("SELECT * FROM backoffice.add_additional_note(%s, %s)", (BOOKING_OF_B, "not mine")),
        (
            "INSERT INTO client_additional_notes (booking_id, therapist_id, note_text) "
            "VALUES (%s, %s, %s)",
            (BOOKING_OF_B, THERAPIST_B, "as if I were B"),
        ),
        (
            "INSERT INTO client_additional_notes (booking_id, therapist_id, note_text) "
            "VALUES (%s, %s, %s)",
            (BOOKING_OF_A, THERAPIST_B, "on my session, in B's name"),
        ),
        (
            "UPDATE client_additional_notes SET note_text = 'changed' WHERE booking_id = %s",
            (BOOKING_OF_A,),
        ),
    ],
)
def test_postgresql_refuses_a_note_on_anothers_session_or_in_anothers_name(
    secured_clinic, statement, params
):
    before = _additional_notes(secured_clinic, BOOKING_OF_A) + _additional_notes(
        secured_clinic, BOOKING_OF_B
    )
    with (
        secured_clinic.connect("therapist_a") as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(statement, params)
        conn.commit()
    after = _additional_notes(secured_clinic, BOOKING_OF_A) + _additional_notes(
        secured_clinic, BOOKING_OF_B
    )
    assert after == before


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("   \n\t ", psycopg.errors.InvalidParameterValue),
        ("x" * 4001, psycopg.errors.StringDataRightTruncation),
    ],
)
def test_empty_or_over_long_text_is_refused_by_the_database_too(secured_clinic, text, state):
    with secured_clinic.connect("therapist_a") as conn, pytest.raises(state):
        conn.execute("SELECT * FROM backoffice.add_additional_note(%s, %s)", (BOOKING_OF_A, text))


def test_an_admin_writes_no_additional_note(secured_clinic):
    with (
        secured_clinic.connect("admin") as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("SELECT * FROM backoffice.add_additional_note(%s, 'x')", (BOOKING_OF_A,))
