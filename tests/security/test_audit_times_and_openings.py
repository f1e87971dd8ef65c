"""#11 item 10: an audit event carries the moment it was written, not the start of a long transaction,
and a therapist cannot record having opened a note they may not read."""

from __future__ import annotations

import pytest
from psycopg import errors

from tests.security.conftest import BOOKING_OF_A, BOOKING_OF_B

NOTE_OF = "SELECT note_id FROM public.client_session_notes WHERE booking_id = %s"
OPENING = "INSERT INTO backoffice.note_openings (note_id) VALUES (%s)"
RECORD = "SELECT backoffice.record_note_opening(ARRAY[%s]::integer[], 'read')"


@pytest.mark.parametrize("who", ["admin", "finance", "therapist_a"])
def test_a_long_transaction_does_not_back_date_its_audit_events(secured_clinic, who):
    probe = f"probe-time-{who}"
    with secured_clinic.connect(who) as conn:
        row = conn.execute("SELECT now()").fetchone()
        assert row is not None
        started = row[0]
        conn.execute("SELECT pg_sleep(0.2)")
        conn.execute(
            "INSERT INTO backoffice.audit_events (action, subject_type, subject_id) "
            "VALUES ('security.probe', 'test', %s)",
            (probe,),
        )
        conn.commit()
    with secured_clinic.owner() as owner:
        stamped = owner.execute(
            "SELECT occurred_at FROM backoffice.audit_events WHERE subject_id = %s",
            (probe,),
        ).fetchall()
    assert len(stamped) == 1 and stamped[0][0] > started


def _note_id(secured_clinic, booking_id: str) -> int:
    with secured_clinic.owner() as owner:
        row = owner.execute(NOTE_OF, (booking_id,)).fetchone()
    assert row is not None
    return int(row[0])


def test_a_therapist_cannot_record_opening_another_therapists_note(secured_clinic):
    note_of_b = _note_id(secured_clinic, BOOKING_OF_B)
    with secured_clinic.connect("therapist_a") as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(OPENING, (note_of_b,))
        conn.rollback()
        with pytest.raises(errors.NoDataFound):  # the one door says there is no such note
            conn.execute(RECORD, (note_of_b,))


def test_a_therapist_records_opening_their_own_note_and_an_admin_any(secured_clinic):
    for who, booking in (("therapist_a", BOOKING_OF_A), ("admin", BOOKING_OF_B)):
        with secured_clinic.connect(who) as conn, conn.transaction(force_rollback=True):
            conn.execute(RECORD, (_note_id(secured_clinic, booking),))
