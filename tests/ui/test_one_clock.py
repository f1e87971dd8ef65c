"""Issue 15, item 6: one clock (the clinic's zone) and one date layout everywhere: the audit log
and refund times that PostgreSQL keeps as `timestamptz` are shown in clinic time, the zone named;
the transfer's effective date starts on the clinic's today, written like every other date; a
note's heading and body give its session's time alike."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from backoffice.services.browse import SOURCES
from backoffice.services.login import open_session
from backoffice.services.notes import NoteDetail, NoteField
from backoffice.services.refunds import list_refunds, request_refund
from backoffice.ui.dialogs.transfer_dialog import TransferDialog
from backoffice.ui.pages.list_page import ListPage
from backoffice.ui.pages.refunds_panel import COLUMNS
from backoffice.ui.widgets.note_view import NoteView
from backoffice.ui.widgets.record_table_model import RecordTableModel
from backoffice.values import CLINIC_ZONE, QT_DATE_FORMAT, clinic_today
from tests.conftest import DEMO_PASSWORDS
from tests.integration.refund_fixtures import (  # noqa: F401 (fixture)
    Clinic,
    clinic_fixture,
    unrefunded_payment,
)
from tests.integration.transfer_fixtures import OLD
from tests.pg import libpq_conninfo

WAIT = 15_000


@pytest.fixture
def admin(clinic):
    session = open_session(
        clinic.database.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    yield session
    session.close()


def clinic_wall_clock(clinic, query: str) -> dt.datetime:
    """What PostgreSQL itself says the moment was, in the clinic's zone."""
    with psycopg.connect(libpq_conninfo(clinic.database.owner_url)) as conn:
        return conn.execute(f"SELECT ({query}) AT TIME ZONE 'Asia/Kolkata'").fetchone()[0]


def test_the_audit_log_shows_clinic_time_and_says_which(qtbot, clinic, admin):
    page = ListPage(admin, SOURCES["audit_events"])
    qtbot.addWidget(page)
    page.show()
    model = page.table.model
    qtbot.waitUntil(lambda: model.texts(0) is not None, timeout=WAIT)
    newest = clinic_wall_clock(clinic, "SELECT max(occurred_at) FROM backoffice.audit_events")
    assert model.texts(0)[0] == f"{newest.day} {newest:%b %Y, %H:%M}"
    assert model.headerData(0, page.table.table.horizontalHeader().orientation()) == "When (IST)"
    page.close_page()


def test_a_refund_is_requested_at_the_clinics_time(clinic, admin):
    payment = unrefunded_payment(clinic, above="1000")
    clinic.run(
        "demo_finance",
        request_refund,
        payment_id=payment,
        amount="10",
        reason_code="goodwill",
        idempotency_key="clock",
    )
    refund = clinic.run("demo_admin", list_refunds, payment_id=payment)[0]
    model = RecordTableModel(COLUMNS)
    model.set_records([refund])
    shown = model.index(0, [c.header for c in COLUMNS].index("Requested")).data()
    at = refund.requested_at.astimezone(CLINIC_ZONE)
    assert shown == f"{at.day} {at:%b %Y, %H:%M}"


def test_the_effective_date_starts_on_the_clinics_today_in_the_one_layout(qtbot, clinic, admin):
    client = clinic.value(
        "SELECT client_id FROM all_clients_table WHERE therapist_id = %s LIMIT 1", OLD
    )
    dialog = TransferDialog(admin, client_id=client)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=WAIT)
    assert dialog.form.effective_date() == clinic_today()
    assert dialog.form.effective.displayFormat() == QT_DATE_FORMAT == "d MMM yyyy"


def test_a_notes_heading_and_body_give_the_session_time_alike(qtbot):
    detail = NoteDetail(
        note_id=14075,
        booking_id="80000",
        client_id="C100001",
        therapist_id="58001",
        client_name="Asha Rao",
        therapist_name="Meera Naidu",
        session_at=dt.datetime(2026, 11, 30, 19, 0),
        written_at=None,
        risk_level="low",
        self_harm=False,
        high_risk=False,
        fields=(
            NoteField("session_timing", "Session", "Mon, 30 Nov 2026, 07:00 PM - 07:50 PM IST"),
        ),
        earlier=(),
        reviews=(),
        opened_at=dt.datetime(2026, 11, 30, 4, 35, tzinfo=dt.UTC),
    )
    view = NoteView()
    qtbot.addWidget(view)
    view.show_note(detail)
    heading = view.widget().findChildren(type(view.value_labels["session_timing"]))[0].text()
    assert "Mon 30 Nov 2026, 19:00 IST" in heading
    assert "opened at 10:05 IST" in heading  # 04:35 UTC, said in the clinic's time
    assert view.value_labels["session_timing"].text() == "Mon 30 Nov 2026, 19:00–19:50 IST"
