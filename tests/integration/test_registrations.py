"""Therapists' registrations with an expiry on the tiny demo clinic: one current with history kept,
captured at approval and an expired one refused there, expired receivers refused by transfers,
the 30-day notice sent once. Each test runs as demo_admin and is rolled back.

The demo's registrations (`demo.registration_rows`): 58003 expires in 25 days, 58005 in 5, 58007
in 50, 58008 expired 12 days ago; the others in a year or more.
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from backoffice.demo.generate import demo_today
from backoffice.errors import PermissionDenied, ValidationError
from backoffice.services import therapists, transfers
from backoffice.services.therapists import ApplicationDraft
from tests.conftest import DEMO_PASSWORDS
from tests.integration.report_fixtures import csv_tables, pdf_lines, run, xlsx_tables
from tests.integration.transfer_fixtures import OLD, rows, straddling_client, value
from tests.pg import libpq_conninfo

EXPIRED = "58008"


def _today(conn) -> dt.date:
    return value(conn, "SELECT CAST(now() AT TIME ZONE 'Asia/Kolkata' AS date)")


def test_a_new_registration_replaces_the_current_one_and_keeps_it_as_history(staff):
    admin = staff("demo_admin")
    conn = admin.connection
    expires = _today(conn) + dt.timedelta(days=900)
    with admin.uow() as uow:
        before = therapists.list_registrations(uow, admin.actor, therapist_id=EXPIRED)
        made = therapists.record_registration(
            uow, admin.actor, therapist_id=EXPIRED, body=" RCI ", number="B777", expires_on=expires
        )
    assert [r.expired for r in before] == [True]
    assert (made.body, made.number, made.is_current, made.state) == ("RCI", "B777", True, "current")
    with admin.uow() as uow:
        history = therapists.list_registrations(
            uow, admin.actor, therapist_id=EXPIRED, history=True
        )
    assert [r.id for r in history][:2] == [made.id, before[0].id]
    assert [r.is_current for r in history][:2] == [True, False]
    event = rows(
        conn,
        "SELECT actor, details FROM backoffice.audit_events "
        "WHERE action = 'therapist.registration_recorded' ORDER BY id DESC LIMIT 1",
    )[0]
    assert event.actor == "demo_admin"
    assert event.details["number"] == "B777"
    assert event.details["replaced"]["registration_id"] == before[0].id


def test_a_registration_needs_a_body_and_a_number(staff):
    admin = staff("demo_admin")
    with admin.uow() as uow, pytest.raises(ValidationError, match="professional body"):
        therapists.record_registration(
            uow, admin.actor, therapist_id=OLD, body=" ", number="X", expires_on=dt.date(2030, 1, 1)
        )


def _draft(expires_on: dt.date) -> ApplicationDraft:
    return ApplicationDraft(
        full_name="Kavya Menon",
        email="kavya.menon.registration@example.org",
        registration_number="R-4410",
        registration_council="Rehabilitation Council of India",
        registration_expires_on=expires_on,
        specialisations=("Anxiety",),
        weekly_capacity=10,
    )


def test_approval_captures_the_applications_registration(staff):
    admin = staff("demo_admin")
    expires = _today(admin.connection) + dt.timedelta(days=400)
    with admin.uow() as uow:
        app = therapists.submit_application(uow, admin.actor, draft=_draft(expires))
    with admin.uow() as uow:
        approved = therapists.approve_application(
            uow, admin.actor, application_id=app.application_id
        )
    with admin.uow() as uow:
        [current] = therapists.list_registrations(
            uow, admin.actor, therapist_id=approved.therapist_id
        )
    assert (current.body, current.number, current.expires_on) == (
        "Rehabilitation Council of India",
        "R-4410",
        expires,
    )


def test_approval_refuses_an_expired_registration_and_changes_nothing(staff):
    admin = staff("demo_admin")
    conn = admin.connection
    expired = _today(conn) - dt.timedelta(days=1)
    with admin.uow() as uow:
        app = therapists.submit_application(uow, admin.actor, draft=_draft(expired))
    therapists_before = value(conn, "SELECT count(*) FROM therapists")
    with admin.uow() as uow, pytest.raises(ValidationError, match="registration expired on"):
        therapists.approve_application(uow, admin.actor, application_id=app.application_id)
    assert value(conn, "SELECT count(*) FROM therapists") == therapists_before
    state = value(
        conn,
        "SELECT state FROM backoffice.therapist_applications WHERE id = :i",
        i=app.application_id,
    )
    assert state == "pending"


def test_a_therapist_with_an_expired_registration_receives_no_client(staff):
    admin = staff("demo_admin")
    client = straddling_client(admin.connection)
    with admin.uow() as uow:
        [row] = [
            t for t in therapists.list_therapists(uow, admin.actor) if t.therapist_id == EXPIRED
        ]
    assert row.registration_expired and row.registration_expires_on is not None
    with admin.uow() as uow, pytest.raises(ValidationError, match="registration expired"):
        transfers.transfer_client(
            uow, admin.actor, client_id=client, to_therapist_id=EXPIRED, reason="Closer to home"
        )


def test_the_caseload_planner_spreads_over_no_expired_therapist(staff):
    admin = staff("demo_admin")
    with admin.uow() as uow:
        preview = transfers.preview_caseload_transfer(
            uow, admin.actor, from_therapist_id=OLD, spread_by_capacity=True
        )
    receivers = {t.therapist_id for t in preview.targets}
    assert receivers and EXPIRED not in receivers
    with admin.uow() as uow, pytest.raises(ValidationError, match="registration expired"):
        transfers.preview_caseload_transfer(
            uow, admin.actor, from_therapist_id=OLD, to_therapist_ids=[EXPIRED]
        )


def test_the_30_day_notice_is_sent_once_per_registration(staff):
    admin = staff("demo_admin")
    conn = admin.connection
    told_before = value(conn, "SELECT count(*) FROM backoffice.registration_notices")
    with admin.uow() as uow:
        first = therapists.notify_registration_expiries(uow, admin.actor)
    with admin.uow() as uow:
        again = therapists.notify_registration_expiries(uow, admin.actor)
    # 58005 (5 days) and 58003 (25 days), unless an admin's dashboard told them already
    assert len(first.notified) == 2 - told_before and again.notified == ()
    told = rows(
        conn,
        "SELECT r.therapist_id FROM backoffice.registration_notices n "
        "JOIN backoffice.therapist_registrations r ON r.id = n.registration_id "
        "WHERE n.threshold_days = 30 ORDER BY r.therapist_id",
    )
    assert [t.therapist_id for t in told] == ["58003", "58005"]
    messages = rows(
        conn,
        "SELECT message FROM notifications WHERE notification_type = 'registration_expiring' "
        "AND related_id IN ('58003', '58005')",
    )
    assert len(messages) == 2 and all("expires on" in m.message for m in messages)


@pytest.mark.parametrize("login", ["demo_finance", "demo_therapist"])
def test_only_admins_record_registrations_or_send_notices(staff, login):
    someone = staff(login)
    with someone.uow() as uow, pytest.raises(PermissionDenied):
        therapists.record_registration(
            uow, someone.actor, therapist_id=OLD, body="RCI", number="1", expires_on=dt.date.today()
        )
    with someone.uow() as uow, pytest.raises(PermissionDenied):
        therapists.notify_registration_expiries(uow, someone.actor)


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO backoffice.therapist_registrations (therapist_id, body, number, expires_on) "
        "VALUES ('58001', 'RCI', 'FAKE', '2099-01-01')",
        "UPDATE backoffice.therapist_registrations SET expires_on = '2099-01-01'",
        "SELECT number FROM backoffice.therapist_registrations",
        "INSERT INTO backoffice.registration_notices (registration_id, threshold_days) "
        "VALUES (1, 30)",
    ],
)
@pytest.mark.parametrize("login", ["demo_finance", "demo_therapist"])
def test_raw_sql_of_a_therapist_or_finance_cannot_touch_registrations(
    demo_database, login, statement
):
    conninfo = libpq_conninfo(demo_database.login_url(login, DEMO_PASSWORDS[login]))
    with psycopg.connect(conninfo) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)


def test_not_even_an_admin_can_rewrite_a_registration(demo_database):
    conninfo = libpq_conninfo(demo_database.login_url("demo_admin", DEMO_PASSWORDS["demo_admin"]))
    with psycopg.connect(conninfo) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE backoffice.therapist_registrations SET expires_on = '2099-01-01'")


def test_the_registrations_report_lists_expired_and_expiring_in_csv_xlsx_and_pdf(staff, tmp_path):
    admin = staff("demo_admin")
    today = _today(admin.connection)
    period = (today - dt.timedelta(days=30), today + dt.timedelta(days=60))
    csv_rows = csv_tables(run(admin, "registrations", tmp_path / "r.csv", period).path)[""]
    assert [(r["Id"], r["State"]) for r in csv_rows] == [
        ("58008", "expired"),
        ("58005", "within 7 days"),
        ("58003", "within 30 days"),
        ("58007", "within 60 days"),
    ]
    # Planted 12 days before the demo's day, which is the day before before 08:00 IST (its "now").
    behind = (today - demo_today()).days
    assert int(csv_rows[0]["Days left"]) == -12 - behind
    xlsx_rows = xlsx_tables(run(admin, "registrations", tmp_path / "r.xlsx", period).path)
    assert len(next(iter(xlsx_rows.values()))) == 4
    lines = pdf_lines(run(admin, "registrations", tmp_path / "r.pdf", period).path)
    assert any("Therapists' registrations" in line for line in lines)
    assert any("within 7 days" in line for line in lines)


def test_finance_may_not_run_the_registrations_report(staff, tmp_path):
    finance = staff("demo_finance")
    today = _today(finance.connection)
    with pytest.raises(PermissionDenied):
        run(finance, "registrations", tmp_path / "r.csv", (today, today))
