"""The client chart on real PostgreSQL: what each role sees, the caseload, additional notes written
and refused, and every note read on record."""

from __future__ import annotations

import pytest

from backoffice.errors import NotFound, PermissionDenied, ValidationError
from backoffice.services.changes import Area
from backoffice.services.chart import (
    ADDITIONAL_NOTE_MAX_CHARS,
    add_additional_note,
    get_chart,
    list_caseload,
)
from backoffice.services.notes import open_note, open_notes
from tests.integration.refund_fixtures import clinic_fixture  # noqa: F401
from tests.integration.transfer_fixtures import NEW, OLD

# A client of demo_therapist with notes, sessions past and to come.
OWN_CLIENT = """
SELECT c.client_id FROM all_clients_table c
WHERE c.therapist_id = %s
  AND EXISTS (SELECT 1 FROM bookings b JOIN client_session_notes n USING (booking_id)
              WHERE b.invitee_id = c.client_id AND b.therapist_id = c.therapist_id)
  AND EXISTS (SELECT 1 FROM bookings b WHERE b.invitee_id = c.client_id
              AND b.booking_start_at > now() AT TIME ZONE 'Asia/Kolkata')
ORDER BY c.client_id LIMIT 1
"""
CLIENT_SESSIONS = """
SELECT b.booking_id FROM bookings b WHERE b.invitee_id = %s
UNION SELECT a.session_id FROM appointment_table a WHERE a.client_id = %s
"""
PAST_BOOKING = """
SELECT b.booking_id FROM bookings b WHERE b.invitee_id = %s AND b.therapist_id = %s
  AND b.booking_start_at < now() AT TIME ZONE 'Asia/Kolkata' ORDER BY b.booking_start_at DESC LIMIT 1
"""


def _ids(clinic, query, *params) -> set[str]:
    return {row[0] for row in clinic.sql(query, *params)}


def test_an_admin_sees_every_session_of_a_client_and_writes_nothing(clinic):
    client = clinic.value(OWN_CLIENT, OLD)
    chart = clinic.run("demo_admin", get_chart, client_id=client)
    shown = {e.session.booking_id for e in chart.past + chart.upcoming}
    assert shown == _ids(clinic, CLIENT_SESSIONS, client, client)
    assert chart.upcoming and chart.past and not chart.may_write
    assert not chart.shared_history, "an admin is nobody's previous therapist"
    starts = [e.session.starts_at for e in chart.past]
    assert starts == sorted(starts, reverse=True)


def test_a_therapist_opens_charts_of_their_own_clients_only(clinic):
    own, other = clinic.value(OWN_CLIENT, OLD), clinic.value(OWN_CLIENT, NEW)
    chart = clinic.run("demo_therapist", get_chart, client_id=own)
    assert chart.may_write and chart.therapist_id == OLD
    assert {e.session.therapist_id for e in chart.past + chart.upcoming} == {OLD}
    with pytest.raises(NotFound):
        clinic.run("demo_therapist", get_chart, client_id=other)
    booking = clinic.value(PAST_BOOKING, own, OLD)
    by_booking = clinic.run("demo_therapist", get_chart, booking_id=booking)
    assert (by_booking.client_id, by_booking.focus_booking_id) == (own, booking)
    note = clinic.value("SELECT note_id FROM client_session_notes WHERE booking_id = %s", booking)
    if note is not None:
        by_note = clinic.run("demo_therapist", get_chart, note_id=note)
        assert (by_note.client_id, by_note.focus_booking_id) == (own, booking)
    with pytest.raises(NotFound):
        clinic.run("demo_therapist", get_chart, booking_id=clinic.value(PAST_BOOKING, other, NEW))


def test_finance_never_reaches_a_chart_or_a_caseload(clinic):
    client = clinic.value(OWN_CLIENT, OLD)
    for work, kwargs in (
        (get_chart, {"client_id": client}),
        (list_caseload, {}),
        (add_additional_note, {"booking_id": "1", "text": "x"}),
    ):
        with pytest.raises(PermissionDenied):
            clinic.run("demo_finance", work, **kwargs)


def test_the_caseload_lists_the_therapists_clients_soonest_session_first(clinic):
    rows = clinic.run("demo_therapist", list_caseload)
    assert {r.client_id for r in rows} == _ids(
        clinic, "SELECT client_id FROM all_clients_table WHERE therapist_id = %s", OLD
    )
    upcoming = [r.next_session for r in rows if r.next_session is not None]
    assert upcoming == sorted(upcoming) and rows[0].next_session is not None
    risky = _ids(
        clinic,
        "SELECT b.invitee_id FROM client_session_notes n JOIN bookings b USING (booking_id) "
        "WHERE b.therapist_id = %s AND lower(n.self_harm_mention) = 'yes'",
        OLD,
    )
    assert {r.client_id for r in rows if r.self_harm_ever} == risky
    one = rows[0]
    assert clinic.run("demo_therapist", list_caseload, search=(one.client_name or "")[1:5].upper())
    assert clinic.run("demo_therapist", list_caseload, search="no such name %_") == ()
    with pytest.raises(PermissionDenied):
        clinic.run("demo_admin", list_caseload)


def test_a_therapist_writes_an_additional_note_on_their_own_session(clinic):
    client = clinic.value(OWN_CLIENT, OLD)
    booking = clinic.value(PAST_BOOKING, client, OLD)
    text = "Phoned after the session.\nAgreed to try the breathing exercise daily."
    result = clinic.run("demo_therapist", add_additional_note, booking_id=booking, text=f" {text} ")
    assert result.changes.touches(Area.ADDITIONAL_NOTES)
    chart = clinic.run("demo_therapist", get_chart, client_id=client)
    written = chart.entry(booking).additional_notes  # type: ignore[union-attr]
    assert [(n.note_id, n.text, n.mine, n.therapist_id) for n in written][-1] == (
        result.note_id,
        text,
        True,
        OLD,
    )
    assert clinic.sql(
        "SELECT actor, details ->> 'booking_id' FROM backoffice.audit_events "
        "WHERE action = 'additional_note.added' AND subject_id = %s",
        str(result.note_id),
    ) == [("demo_therapist", booking)]


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("  \n ", "empty"),
        ("x" * (ADDITIONAL_NOTE_MAX_CHARS + 1), "too long"),
    ],
)
def test_an_empty_or_over_long_additional_note_gets_a_sentence(clinic, text, sentence):
    booking = clinic.value(PAST_BOOKING, clinic.value(OWN_CLIENT, OLD), OLD)
    with pytest.raises(ValidationError, match=sentence):
        clinic.run("demo_therapist", add_additional_note, booking_id=booking, text=text)


def test_an_additional_note_on_another_therapists_session_is_refused(clinic):
    other = clinic.value(PAST_BOOKING, clinic.value(OWN_CLIENT, NEW), NEW)
    before = clinic.value("SELECT count(*) FROM client_additional_notes")
    with pytest.raises(PermissionDenied, match="not one of yours"):
        clinic.run("demo_therapist", add_additional_note, booking_id=other, text="Mine now.")
    with pytest.raises(PermissionDenied):
        clinic.run("demo_admin", add_additional_note, booking_id=other, text="An admin's note.")
    assert clinic.value("SELECT count(*) FROM client_additional_notes") == before


def test_reading_a_note_from_the_chart_is_on_record_like_the_queue(clinic):
    client = clinic.value(OWN_CLIENT, OLD)
    chart = clinic.run("demo_therapist", get_chart, client_id=client)
    noted = [e.session.note_id for e in chart.past if e.session.note_id is not None]
    assert clinic.value("SELECT count(*) FROM backoffice.note_openings WHERE purpose = 'read'") == 0
    detail = clinic.run("demo_therapist", open_note, note_id=noted[0])
    assert detail.client_id == client
    assert clinic.sql(
        "SELECT note_id, opened_by, purpose FROM backoffice.note_openings WHERE purpose = 'read'"
    ) == [(noted[0], "demo_therapist", "read")]


def test_a_bulk_read_is_one_batch_and_one_event_listing_the_notes(clinic):
    notes = [
        row[0]
        for row in clinic.sql(
            "SELECT n.note_id FROM client_session_notes n JOIN bookings b USING (booking_id) "
            "WHERE b.therapist_id = %s ORDER BY 1 LIMIT 25",
            OLD,
        )
    ]
    details = clinic.run("demo_therapist", open_notes, note_ids=notes)
    assert [d.note_id for d in details] == notes
    assert all(d.earlier == () and d.fields for d in details)
    batches = clinic.sql(
        "SELECT batch_id, count(*), min(purpose) FROM backoffice.note_openings "
        "WHERE purpose = 'checkout' GROUP BY 1"
    )
    assert [(count, purpose) for _, count, purpose in batches] == [(25, "checkout")]
    assert clinic.sql(
        "SELECT subject_id, (details -> 'note_ids') = to_jsonb(CAST(%s AS integer[])) "
        "FROM backoffice.audit_events WHERE action = 'caseload.checked_out'",
        notes,
    ) == [(str(batches[0][0]), True)]
    other = clinic.value(
        "SELECT min(n.note_id) FROM client_session_notes n JOIN bookings b USING (booking_id) "
        "WHERE b.therapist_id = %s",
        NEW,
    )
    with pytest.raises(NotFound):
        clinic.run("demo_therapist", open_notes, note_ids=[*notes, other])
    assert (
        clinic.value("SELECT count(*) FROM backoffice.note_openings WHERE purpose = 'checkout'")
        == 25
    )
