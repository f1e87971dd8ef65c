"""The door drafts written offline come back through, as raw SQL by the login that would try it:
only `upload_offline_draft`, only on one's own session of a client still on one's caseload, and a
draft id another login used gives away neither its note nor a second landing."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from tests.security.conftest import BOOKING_OF_A, BOOKING_OF_B

UPLOAD = "SELECT outcome, note_id, note_text FROM backoffice.upload_offline_draft(%s, %s, %s)"


def _upload(conn: psycopg.Connection, draft_id: uuid.UUID, booking: str, text: str) -> tuple:
    row = conn.execute(UPLOAD, (draft_id, booking, text)).fetchone()
    assert row is not None
    return row


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM backoffice.offline_drafts",
        "INSERT INTO backoffice.offline_drafts (draft_id, therapist_id, booking_id) "
        "VALUES (gen_random_uuid(), 'T-A', 'BK-A1')",
        "UPDATE backoffice.offline_drafts SET note_id = 1",
        "DELETE FROM backoffice.offline_drafts",
    ],
)
@pytest.mark.parametrize("who", ["therapist_a", "admin", "finance"])
def test_nobody_touches_the_draft_table_but_the_function(secured_clinic, who, statement):
    with (
        secured_clinic.connect(who, autocommit=True) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(statement)


@pytest.mark.parametrize("who", ["admin", "finance"])
def test_only_therapists_may_call_the_upload(secured_clinic, who):
    with (
        secured_clinic.connect(who, autocommit=True) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        _upload(conn, uuid.uuid4(), BOOKING_OF_A, "x")


def test_a_draft_lands_on_the_therapists_own_session_only(secured_clinic):
    with secured_clinic.connect("therapist_a") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not one of yours"):
            _upload(conn, uuid.uuid4(), BOOKING_OF_B, "a note on someone else's client")
        conn.rollback()


def test_another_login_replaying_a_draft_id_learns_nothing_and_lands_nothing(secured_clinic):
    draft = uuid.uuid4()
    secret_text = "Disclosed a family matter in confidence"
    with secured_clinic.connect("therapist_a") as a:
        assert _upload(a, draft, BOOKING_OF_A, secret_text)[0] == "added"
        a.commit()
    try:
        with secured_clinic.connect("therapist_b") as b:
            for booking in (BOOKING_OF_A, BOOKING_OF_B):
                with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
                    _upload(b, draft, booking, "guess")
                assert secret_text not in str(refused.value)
                b.rollback()
        with secured_clinic.owner() as owner:
            landed = owner.execute(
                "SELECT count(*) FROM client_additional_notes WHERE note_text IN (%s, 'guess')",
                (secret_text,),
            ).fetchone()
        assert landed == (1,)
    finally:
        with secured_clinic.owner() as owner:
            owner.execute(
                "DELETE FROM client_additional_notes WHERE note_id IN "
                "(SELECT note_id FROM backoffice.offline_drafts WHERE draft_id = %s)",
                (draft,),
            )
            owner.execute("DELETE FROM backoffice.offline_drafts WHERE draft_id = %s", (draft,))
