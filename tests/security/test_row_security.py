"""Row-level security as each therapist, with raw SQL: only their own caseload, whatever they try."""

from __future__ import annotations

import contextlib

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

# table -> the column that names the therapist whose row it is
THERAPIST_COLUMN = {
    "bookings": "therapist_id",
    "all_clients_table": "therapist_id",
    "appointment_table": "therapist_id",
    "client_additional_notes": "therapist_id",
}


def _visible(conn, query, *params):
    return [row[0] for row in conn.execute(query, params).fetchall()]


@pytest.mark.parametrize("table", sorted(THERAPIST_COLUMN))
def test_a_therapist_sees_only_their_own_rows(secured_clinic, table):
    column = THERAPIST_COLUMN[table]
    with secured_clinic.connect("therapist_a") as conn:
        seen = set(_visible(conn, f"SELECT {column} FROM public.{table}"))
    assert seen == {THERAPIST_A}


def test_a_therapist_cannot_read_another_therapists_client_by_its_id(secured_clinic):
    with secured_clinic.connect("therapist_a") as conn:
        assert (
            _visible(
                conn, "SELECT client_name FROM all_clients_table WHERE client_id = %s", CLIENT_OF_B
            )
            == []
        )
        assert (
            _visible(conn, "SELECT booking_id FROM bookings WHERE booking_id = %s", BOOKING_OF_B)
            == []
        )
        assert (
            _visible(
                conn, "SELECT session_id FROM appointment_table WHERE client_id = %s", CLIENT_OF_B
            )
            == []
        )
        assert _visible(
            conn, "SELECT client_id FROM all_clients_table WHERE client_id = %s", CLIENT_OF_A
        ) == [CLIENT_OF_A]


def test_a_therapist_reads_only_the_session_notes_of_their_own_bookings(secured_clinic):
    with secured_clinic.connect("therapist_a") as conn:
        assert _visible(conn, "SELECT booking_id FROM client_session_notes") == [BOOKING_OF_A]
    with secured_clinic.connect("therapist_b") as conn:
        assert _visible(conn, "SELECT booking_id FROM client_session_notes") == [BOOKING_OF_B]


def test_transfer_rows_are_visible_to_both_therapists_they_concern_only(secured_clinic):
    with secured_clinic.owner() as owner:
        owner.execute(
            "INSERT INTO therapists (therapist_id, name) VALUES ('T-C', 'Third') ON CONFLICT DO NOTHING"
        )
        owner.execute(
            "INSERT INTO client_transfer_history (client_name, from_therapist_id, to_therapist_id, "
            "to_therapist_name) VALUES ('Other', 'T-C', 'T-C', 'Third')"
        )
    try:
        for who in ("therapist_a", "therapist_b"):
            with secured_clinic.connect(who) as conn:
                rows = conn.execute(
                    "SELECT from_therapist_id, to_therapist_id FROM client_transfer_history"
                ).fetchall()
            assert rows == [(THERAPIST_A, THERAPIST_B)]
    finally:
        with secured_clinic.owner() as owner:
            owner.execute("DELETE FROM client_transfer_history WHERE to_therapist_id = 'T-C'")


@pytest.mark.parametrize(
    "trick",
    [
        "SET app.therapist_id = 'T-B'",
        "SET backoffice.therapist_id = 'T-B'",
        "SET ROLE {therapist_group}",
        "SET search_path = pg_temp, public",
        "SET row_security = off",
        "SET SESSION AUTHORIZATION postgres",
    ],
)
def test_a_therapist_who_changes_a_setting_still_sees_only_their_own(secured_clinic, trick):
    with secured_clinic.connect("therapist_a", autocommit=True) as conn:
        # Refusing the trick is as good as ignoring it.
        with contextlib.suppress(psycopg.errors.InsufficientPrivilege):
            conn.execute(trick.format(therapist_group=secured_clinic.groups["therapist"]))
        try:
            seen = _visible(conn, "SELECT therapist_id FROM public.bookings")
            notes = _visible(conn, "SELECT booking_id FROM public.client_session_notes")
        except psycopg.errors.InsufficientPrivilege:
            return  # row_security = off: PostgreSQL refuses the query rather than bypass RLS
    assert set(seen) == {THERAPIST_A}
    assert notes == [BOOKING_OF_A]


def test_a_therapist_cannot_move_another_therapists_client_into_their_caseload(secured_clinic):
    with (
        secured_clinic.connect("therapist_a") as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(
            "UPDATE all_clients_table SET therapist_id = %s WHERE client_id = %s",
            (THERAPIST_A, CLIENT_OF_B),
        )


def test_a_therapist_marks_only_their_own_notifications_read(secured_clinic):
    logins = secured_clinic.logins
    with secured_clinic.owner() as owner:
        owner.execute(
            "INSERT INTO notifications (user_id, user_role, notification_type, title, message) "
            "SELECT user_id, 'therapist', 'probe', 'probe', login_role FROM backoffice.staff_accounts "
            "WHERE login_role IN (%s, %s)",
            (logins["therapist_a"], logins["therapist_b"]),
        )
    try:
        with secured_clinic.connect("therapist_a") as conn:
            updated = _visible(
                conn,
                "UPDATE notifications SET is_read = true WHERE notification_type = 'probe' RETURNING message",
            )
            conn.rollback()
    finally:
        with secured_clinic.owner() as owner:
            owner.execute("DELETE FROM notifications WHERE notification_type = 'probe'")
    assert updated == [logins["therapist_a"]]


def test_shared_history_lets_the_new_therapist_read_the_clients_earlier_notes(secured_clinic):
    with secured_clinic.connect("therapist_a") as conn:
        before = _visible(conn, "SELECT booking_id FROM client_session_notes ORDER BY 1")
    with secured_clinic.owner() as owner:
        owner.execute(
            "INSERT INTO backoffice.shared_note_access (client_id, therapist_id) VALUES (%s, %s)",
            (CLIENT_OF_B, THERAPIST_A),
        )
    try:
        with secured_clinic.connect("therapist_a") as conn:
            after = _visible(conn, "SELECT booking_id FROM client_session_notes ORDER BY 1")
            bookings = _visible(conn, "SELECT booking_id FROM bookings")
    finally:
        with secured_clinic.owner() as owner:
            owner.execute(
                "DELETE FROM backoffice.shared_note_access WHERE client_id = %s", (CLIENT_OF_B,)
            )
    assert before == [BOOKING_OF_A]
    assert after == [BOOKING_OF_A, BOOKING_OF_B]
    assert bookings == [BOOKING_OF_A], "sharing notes must not hand over the other's bookings"


def test_a_deactivated_staff_account_sees_nothing_even_while_its_login_still_works(secured_clinic):
    login = secured_clinic.logins["therapist_b"]
    with secured_clinic.owner() as owner:
        owner.execute(
            "UPDATE backoffice.staff_accounts SET is_active = false WHERE login_role = %s", (login,)
        )
    try:
        with secured_clinic.connect("therapist_b") as conn:
            seen = _visible(conn, "SELECT booking_id FROM bookings")
            notes = _visible(conn, "SELECT booking_id FROM client_session_notes")
    finally:
        with secured_clinic.owner() as owner:
            owner.execute(
                "UPDATE backoffice.staff_accounts SET is_active = true WHERE login_role = %s",
                (login,),
            )
    assert seen == [] and notes == []


def test_finance_cannot_read_a_single_session_note_by_any_route(secured_clinic):
    attempts = [
        "SELECT * FROM client_session_notes",
        "SELECT note_text FROM client_additional_notes",
        "SELECT * FROM backoffice.note_reviews",
        "SELECT * FROM backoffice.note_openings",
        "SELECT n.* FROM bookings b JOIN client_session_notes n USING (booking_id)",
    ]
    with secured_clinic.connect("finance", autocommit=True) as conn:
        for attempt in attempts:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(attempt)
        assert _visible(conn, "SELECT backoffice.session_readable_booking_ids()") == []
