"""Shared history after a transfer, on real PostgreSQL: with `share_past_notes` the receiving
therapist opens the client's earlier notes with their dates exactly as an admin sees them, and the
chart shows them as written by the previous therapist; without it, none of it (raw SQL too)."""

from __future__ import annotations

import psycopg
import pytest

from backoffice.errors import NotFound
from backoffice.services.chart import get_chart
from backoffice.services.notes import open_note
from backoffice.services.transfers import transfer_client
from tests.conftest import DEMO_PASSWORDS
from tests.integration.refund_fixtures import clinic_fixture  # noqa: F401
from tests.integration.transfer_fixtures import NEW, OLD
from tests.pg import libpq_conninfo

# A client of demo_therapist2 with at least three notes, the latest of them dated.
# A client of demo_therapist2 with at least three notes and a session still to come (what moves).
MOVING = """
SELECT b.invitee_id FROM client_session_notes n JOIN bookings b USING (booking_id)
JOIN all_clients_table c ON c.client_id = b.invitee_id
WHERE b.therapist_id = %s AND c.therapist_id = %s
  AND EXISTS (SELECT 1 FROM bookings f WHERE f.invitee_id = b.invitee_id
              AND f.booking_start_at > now() AT TIME ZONE 'Asia/Kolkata' + interval '1 day')
GROUP BY b.invitee_id HAVING count(*) >= 3 ORDER BY 1 LIMIT 1
"""
LATEST_NOTE = """
SELECT n.note_id FROM client_session_notes n JOIN bookings b USING (booking_id)
WHERE b.invitee_id = %s ORDER BY b.booking_start_at DESC LIMIT 1
"""
RAW_SESSIONS = (
    "SELECT booking_id, therapist_id, starts_at FROM backoffice.client_sessions(ARRAY[%s]) "
    "ORDER BY booking_id"
)


def _transfer(clinic, *, share: bool) -> tuple[str, int]:
    """Move a client of demo_therapist2 to demo_therapist: (the client, their latest note)."""
    client = clinic.value(MOVING, NEW, NEW)
    note_id = clinic.value(LATEST_NOTE, client)
    clinic.run(
        "demo_admin",
        transfer_client,
        client_id=client,
        to_therapist_id=OLD,
        reason="Covering a long leave",
        share_past_notes=share,
        capacity_override_reason="Agreed with the receiving therapist",
    )
    return client, note_id


def _raw_sessions(clinic, login: str, client: str) -> list[tuple]:
    url = clinic.database.login_url(login, DEMO_PASSWORDS[login])
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        return conn.execute(RAW_SESSIONS, (client,)).fetchall()


def test_with_sharing_the_new_therapist_opens_earlier_notes_as_an_admin_sees_them(clinic):
    client, note_id = _transfer(clinic, share=True)
    admin = clinic.run("demo_admin", open_note, note_id=note_id)
    receiving = clinic.run("demo_therapist", open_note, note_id=note_id)
    assert receiving.session_at is not None and receiving.session_at == admin.session_at
    assert len(admin.earlier) >= 2 and receiving.earlier == admin.earlier
    assert receiving.fields == admin.fields
    assert receiving.therapist_id == NEW and receiving.reviews == ()
    assert _raw_sessions(clinic, "demo_therapist", client) == _raw_sessions(
        clinic, "demo_admin", client
    )


def test_with_sharing_the_chart_marks_the_earlier_sessions_as_the_previous_therapists(clinic):
    client, note_id = _transfer(clinic, share=True)
    chart = clinic.run("demo_therapist", get_chart, client_id=client)
    earlier = [e for e in chart.past if e.by_previous_therapist]
    assert chart.shared_history and len(earlier) >= 3
    assert all(e.session.starts_at is not None and e.session.therapist_id == NEW for e in earlier)
    assert note_id in {e.session.note_id for e in earlier}
    assert chart.risk_over_time and chart.transfers[-1].to_therapist_id == OLD
    assert chart.with_therapist_since == chart.transfers[-1].transferred_at


def test_without_sharing_the_new_therapist_sees_none_of_the_earlier_history(clinic):
    client, note_id = _transfer(clinic, share=False)
    with pytest.raises(NotFound):
        clinic.run("demo_therapist", open_note, note_id=note_id)
    chart = clinic.run("demo_therapist", get_chart, client_id=client)
    assert not chart.shared_history and chart.past == ()
    assert {e.session.therapist_id for e in chart.upcoming} <= {OLD}
    raw = _raw_sessions(clinic, "demo_therapist", client)
    assert raw and {therapist for _, therapist, _ in raw} == {OLD}
    previous = _raw_sessions(clinic, "demo_therapist2", client)
    assert previous and {therapist for _, therapist, _ in previous} == {NEW}
