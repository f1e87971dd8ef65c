"""Taking a caseload offline on real PostgreSQL: the copy holds exactly what row security and the
chart's definer functions let the login read, every note read is on record as one
"caseload.checked_out" event, the server sets the expiry, and nobody else may take one."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from backoffice.errors import PermissionDenied
from backoffice.services.chart import list_caseload
from backoffice.services.offline import (
    DeviceSecrets,
    OfflineUnavailable,
    list_drafts,
    read_caseload,
    read_chart,
    read_note,
)
from backoffice.services.transfers import transfer_client
from tests.conftest import DEMO_PASSWORDS
from tests.integration.offline_fixtures import (  # noqa: F401 (fixtures)
    Offline,
    clinic_fixture,
    offline_fixture,
)
from tests.integration.test_shared_history import MOVING
from tests.integration.transfer_fixtures import NEW, OLD
from tests.pg import libpq_conninfo
from tests.unit.keyring_fakes import LockedKeyring

AS_LOGIN_SESSIONS = (
    "SELECT booking_id, note_id FROM backoffice.client_sessions("
    "ARRAY(SELECT client_id FROM all_clients_table))"
)


def _as_login(offline: Offline, login: str, query: str, *params: object) -> list[tuple]:
    url = offline.clinic.database.login_url(login, DEMO_PASSWORDS[login])
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        return conn.execute(query, params or None).fetchall()


def _copy_rows(offline: Offline, login: str) -> dict[str, set]:
    copy = offline.open(login)
    rows = read_caseload(copy)
    charts = [read_chart(copy, client_id=r.client_id) for r in rows]
    entries = [e for c in charts for e in c.past + c.upcoming]
    return {
        "clients": {(c.client_id, c.client_name, c.phone, c.email) for c in charts},
        "sessions": {(e.session.booking_id, e.session.note_id) for e in entries},
        "notes": {
            (n.note_id, n.fields[6].value, n.fields[14].value)  # concerns, self-harm details
            for n in (read_note(copy, note_id=i) for _, i in _noted(entries))
        },
        "additional": {(n.note_id, n.text) for e in entries for n in e.additional_notes},
    }


def _noted(entries: list) -> set[tuple[str, int]]:
    return {(e.session.booking_id, e.session.note_id) for e in entries if e.session.note_id}


def test_the_copy_holds_what_row_security_lets_the_login_read(offline):
    result = offline.checkout("demo_therapist")
    copied = _copy_rows(offline, "demo_therapist")
    clients = _as_login(
        offline,
        "demo_therapist",
        "SELECT client_id, client_name, phone_number, email_id FROM all_clients_table",
    )
    assert copied["clients"] == set(clients) and result.clients == len(clients)
    assert copied["sessions"] == set(_as_login(offline, "demo_therapist", AS_LOGIN_SESSIONS))
    note_ids = sorted(i for _, i in copied["sessions"] if i)
    content = offline.clinic.sql(
        "SELECT note_id, concerns_discussed, self_harm_details FROM client_session_notes "
        "WHERE note_id = ANY(%s)",
        note_ids,
    )
    assert copied["notes"] == set(content) and result.notes == len(note_ids) > 0
    bookings = [b for b, _ in copied["sessions"]]
    additional = _as_login(
        offline,
        "demo_therapist",
        "SELECT note_id, note_text FROM client_additional_notes WHERE booking_id = ANY(%s)",
        bookings,
    )
    assert copied["additional"] == set(additional)
    own_notes = _as_login(
        offline,
        "demo_therapist",
        "SELECT n.note_id FROM client_session_notes n JOIN bookings b USING (booking_id) "
        "WHERE b.invitee_id IN (SELECT client_id FROM all_clients_table)",
    )
    assert {row[0] for row in own_notes} <= set(note_ids)


def test_my_caseload_offline_lists_what_it_lists_online(offline):
    offline.checkout("demo_therapist")
    online = offline.clinic.run("demo_therapist", list_caseload)
    assert len(online) > 0
    assert read_caseload(offline.open("demo_therapist")) == online


def test_every_note_read_is_on_record_as_one_checked_out_event_before_the_read(offline):
    result = offline.checkout("demo_therapist")
    events = offline.clinic.sql(
        "SELECT actor, details -> 'note_ids', occurred_at FROM backoffice.audit_events "
        "WHERE action = 'caseload.checked_out'"
    )
    openings = offline.clinic.sql(
        "SELECT note_id, opened_by, purpose FROM backoffice.note_openings "
        "WHERE purpose = 'checkout' ORDER BY note_id"
    )
    assert len(events) == 1 and events[0][0] == "demo_therapist"
    assert events[0][1] == [o[0] for o in openings] and len(openings) == result.notes
    assert {(o[1], o[2]) for o in openings} == {("demo_therapist", "checkout")}


def test_shared_history_comes_along_as_the_chart_shows_it(offline):
    client = offline.clinic.value(MOVING, NEW, NEW)
    offline.clinic.run(
        "demo_admin",
        transfer_client,
        client_id=client,
        to_therapist_id=OLD,
        reason="Covering a long leave",
        share_past_notes=True,
        capacity_override_reason="Agreed with the receiving therapist",
    )
    offline.checkout("demo_therapist")
    chart = read_chart(offline.open("demo_therapist"), client_id=client)
    earlier = [e for e in chart.past if e.by_previous_therapist and e.session.note_id]
    assert chart.shared_history and len(earlier) >= 3
    note = read_note(offline.open("demo_therapist"), note_id=earlier[0].session.note_id)
    assert note.therapist_id == NEW and note.fields


def test_the_server_sets_the_expiry_from_its_settings(offline):
    offline.clinic.sql(
        "INSERT INTO backoffice.settings (key, value) VALUES ('offline/max_days', '3') "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING key"
    )
    info = offline.checkout("demo_therapist").info
    assert info.expires_at - info.taken_at == dt.timedelta(days=3)
    server_now = offline.clinic.value("SELECT now()")
    assert abs(info.taken_at - server_now) < dt.timedelta(minutes=1)
    assert list_drafts(offline.open("demo_therapist")) == ()


CHECKOUT_OPENINGS = "SELECT count(*) FROM backoffice.note_openings WHERE purpose = 'checkout'"


@pytest.mark.parametrize("login", ["demo_admin", "demo_finance"])
def test_only_therapists_take_a_caseload_offline(offline, login):
    with pytest.raises(PermissionDenied, match="take a caseload offline"):
        offline.checkout(login)
    assert offline.clinic.value(CHECKOUT_OPENINGS) == 0


def test_a_locked_keyring_refuses_before_any_note_is_put_on_record(offline):
    with pytest.raises(OfflineUnavailable, match="keyring is locked"):
        offline.checkout("demo_therapist", secrets=DeviceSecrets(LockedKeyring()))
    assert offline.clinic.value(CHECKOUT_OPENINGS) == 0
    assert not list(offline.data.rglob("*.db"))
