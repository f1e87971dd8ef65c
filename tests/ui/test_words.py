"""Issue 15, items 5 and 12: words where people expect words. Refunds name the client and the
reason; the audit log reads as sentences; ids are never grouped like money and never lead a
table; counts and nouns agree; a refund is "refund #1 of INR 2,500.00 to Asha Rao"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from backoffice.services.audit_words import describe_event
from backoffice.services.browse import SOURCES
from backoffice.services.login import open_session
from backoffice.services.refunds import REASON_CODES, RefundResult, request_refund
from backoffice.services.therapists import TherapistRow
from backoffice.ui.dialogs.transfer_form import capacity_words
from backoffice.ui.pages.list_page import ListPage
from backoffice.ui.pages.payments_page import PaymentsPage
from backoffice.ui.pages.reconciliation_panel import ReconciliationPanel
from backoffice.ui.pages.refund_words import event_reason_words
from backoffice.ui.pages.refunds_panel import COLUMNS, refund_words
from backoffice.ui.widgets.record_table_model import RecordTableModel
from tests.conftest import DEMO_PASSWORDS
from tests.integration.refund_fixtures import (  # noqa: F401 (fixture)
    Clinic,
    clinic_fixture,
    unrefunded_payment,
)

WAIT = 15_000
NOW = dt.datetime(2026, 11, 30, 4, 35, tzinfo=dt.UTC)


def a_refund(**changes) -> RefundResult:
    values = dict(
        id=1,
        payment_id=20000,
        booking_id="80000",
        amount=Decimal("2500"),
        currency="INR",
        state="requested",
        reason_code="client_cancelled",
        note=None,
        idempotency_key="k",
        requested_by="demo_finance",
        requested_at=NOW,
        approved_by=None,
        approved_at=None,
        completed_at=None,
        gateway_reference=None,
        failure_message=None,
        needs_second_approver=True,
        client_name="Asha Rao",
    )
    return RefundResult(**(values | changes))


def test_a_refund_is_named_by_its_number_amount_and_client():
    assert refund_words(a_refund()) == "refund #1 of INR 2,500.00 to Asha Rao"


def test_the_refunds_table_shows_the_client_and_the_reason_in_words_and_ids_last():
    model = RecordTableModel(COLUMNS)
    model.set_records([a_refund()])
    headers = [c.header for c in COLUMNS]
    texts = [model.index(0, c).data() for c in range(len(COLUMNS))]
    assert headers[0] == "Client" and texts[0] == "Asha Rao"
    assert REASON_CODES["client_cancelled"] in texts and "client_cancelled" not in texts
    assert headers[-2:] == ["Refund", "Payment"] and texts[-2:] == ["#1", "20000"]


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_no_table_leads_with_an_id_and_ids_say_so(source):
    columns = SOURCES[source].columns
    is_id = [c.kind == "id" or c.label.endswith(" id") for c in columns]
    assert not is_id[0] and is_id == sorted(is_id), [c.label for c in columns]
    assert all(c.label.endswith(" id") for c, flag in zip(columns, is_id, strict=True) if flag)


def test_every_audit_event_the_back_office_writes_reads_as_a_sentence():
    sentence = describe_event(
        "refund.approved",
        "refund",
        "7",
        {"payment_id": 20000, "amount": "2500.00", "currency": "INR"},
    )
    assert sentence == "Approved refund #7 of INR 2,500.00."
    reviewed = describe_event(
        "note.reviewed", "session_note", "14075", {"outcome": "no_action", "high_risk": True}
    )
    assert reviewed == "Reviewed session note 14075 (high risk): no action."
    threshold = describe_event(
        "refund.threshold_changed",
        "setting",
        "refunds.approval_threshold.INR",
        {"currency": "INR", "before": "2000.00", "after": "2500", "reason": "Policy of 2027"},
    )
    assert threshold == (
        "Set the refund approval threshold for INR to INR 2,500.00 (was INR 2,000.00): "
        "Policy of 2027."
    )
    temporary = describe_event(
        "staff.temporary_password",
        "staff_account",
        "t_asha",
        {"therapist_id": "58009", "valid_until": "2026-12-02T08:30:00+00:00"},
    )
    assert temporary == (
        "Gave the login t_asha a temporary password, valid until 2 Dec 2026, 14:00 IST."
    )
    assert describe_event("staff.password_set", "staff_account", "t_asha", {}) == (
        "t_asha chose their own password."
    )
    unknown = describe_event("therapist.renamed", "therapist", "58001", {"x": 1})
    assert unknown == "Therapist renamed: therapist 58001." and "{" not in unknown


def test_the_audit_log_page_says_what_happened_and_keeps_ids_plain(qtbot, clinic):
    payment = unrefunded_payment(clinic, above="1000")
    refund = clinic.run(
        "demo_finance",
        request_refund,
        payment_id=payment,
        amount="100",
        reason_code="goodwill",
        idempotency_key="words",
    )
    session = open_session(
        clinic.database.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    page = ListPage(session, SOURCES["audit_events"])
    qtbot.addWidget(page)
    page.show()
    model = page.table.model
    qtbot.waitUntil(lambda: model.texts(0) is not None, timeout=WAIT)
    labels = [c.label for c in model.columns]
    texts = dict(zip(labels, model.texts(0), strict=True))
    assert texts["What happened"] == (
        f"Requested refund #{refund.id} of INR 100.00 from payment {payment} (goodwill)."
    )
    assert texts["Who"] == "demo_finance" and "{" not in texts["What happened"]
    assert str(payment) in texts["Subject id"] or texts["Subject id"] == str(refund.id)
    page.close_page()
    session.close()


def test_counts_and_nouns_agree_in_tables_and_sentences(qtbot, clinic):
    session = open_session(
        clinic.database.profile(), username="demo_finance", password=DEMO_PASSWORDS["demo_finance"]
    )
    panel = ReconciliationPanel(session)
    qtbot.addWidget(panel)
    panel.refresh()
    qtbot.waitUntil(lambda: not panel.is_busy() and panel.status.text() != "", timeout=WAIT)
    count = panel.model.rowCount()
    assert count > 1 and panel.status.text().startswith(f"{count} payments disagree with their")
    assert "(s)" not in panel.status.text()
    assert panel.model.index(0, 0).data() != str(panel.model.records[0].payment_id)  # a name

    page = PaymentsPage(session)
    qtbot.addWidget(page)
    page.show()
    view = page.payments
    qtbot.waitUntil(lambda: view.model.texts(0) is not None, timeout=WAIT)
    view.search_box.setText(str(view.model.key(0)))  # one payment: "1 row", not "1 rows"
    qtbot.waitUntil(lambda: view.status.text() == "1 row", timeout=WAIT)
    page.close_page()
    session.close()


def test_a_requested_refund_is_announced_by_number_amount_and_client(qtbot, clinic):
    session = open_session(
        clinic.database.profile(), username="demo_finance", password=DEMO_PASSWORDS["demo_finance"]
    )
    page = PaymentsPage(session)
    qtbot.addWidget(page)
    page._on_dialog_refund_requested(a_refund())
    assert page.status.text() == (
        "Refund #1 of INR 2,500.00 to Asha Rao requested: someone other than you must approve "
        "it, under Refunds."
    )
    page.close_page()
    session.close()


@pytest.mark.parametrize(
    ("active", "capacity", "words"),
    [
        (22, 16, "22 clients with sessions to come, 6 over a capacity of 16"),
        (12, 16, "12 clients with sessions to come, room for 4 more"),
        (1, 1, "1 client with sessions to come, at capacity"),
    ],
)
def test_a_therapists_load_is_said_in_words(active, capacity, words):
    row = TherapistRow("58001", "Meera Naidu", None, capacity, active, active, True)
    assert capacity_words(row) == words


def test_a_refund_ledger_line_names_the_reason_not_its_code():
    assert (
        event_reason_words("client_cancelled: Moved to Pune")
        == "The client cancelled: Moved to Pune"
    )
    assert event_reason_words("The gateway timed out") == "The gateway timed out"
