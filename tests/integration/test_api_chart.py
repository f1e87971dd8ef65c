"""The client chart through `backoffice.api`, as a therapist's script would use it: the caseload,
a chart, an additional note written (committed, audited) and one refused on another's session."""

from __future__ import annotations

import pytest

from backoffice import api
from tests.conftest import DEMO_PASSWORDS
from tests.integration.transfer_fixtures import NEW, OLD, owner


def _url(database, login: str) -> str:
    return database.login_url(login, DEMO_PASSWORDS[login]).render_as_string(hide_password=False)


def _past_booking(database, therapist_id: str) -> str:
    with owner(database) as conn:
        row = conn.execute(
            "SELECT booking_id FROM bookings WHERE therapist_id = %s AND booking_status = "
            "'completed' ORDER BY booking_start_at DESC LIMIT 1",
            (therapist_id,),
        ).fetchone()
    assert row is not None
    return str(row[0])


def test_a_therapist_script_reads_a_chart_and_writes_an_additional_note(demo_clone):
    booking = _past_booking(demo_clone, OLD)
    with api.connect(_url(demo_clone, "demo_therapist")) as clinic:
        caseload = clinic.list_caseload()
        chart = clinic.get_chart(booking_id=booking)
        written = clinic.add_additional_note(
            booking_id=booking, text="Sent the worksheet by email."
        )
        again = clinic.get_chart(client_id=chart.client_id)

    assert chart.client_id in {row.client_id for row in caseload} and chart.may_write
    entry = again.entry(booking)
    assert entry is not None and entry.additional_notes[-1].note_id == written.note_id
    with owner(demo_clone) as conn:
        events = conn.execute(
            "SELECT actor FROM backoffice.audit_events WHERE action = 'additional_note.added' "
            "AND subject_id = %s",
            (str(written.note_id),),
        ).fetchall()
    assert events == [("demo_therapist",)]


def test_a_note_on_another_therapists_session_is_refused_with_the_typed_error(demo_clone):
    booking = _past_booking(demo_clone, NEW)
    with (
        api.connect(_url(demo_clone, "demo_therapist")) as clinic,
        pytest.raises(api.PermissionDenied, match="not one of yours"),
    ):
        clinic.add_additional_note(booking_id=booking, text="Not my session.")
    with pytest.raises(api.ValidationError, match="empty"):
        api.checked_note_text("   ")
