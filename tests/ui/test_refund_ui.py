"""The refund dialog and the payments page, offscreen, on a private demo clinic: the form is checked
on the GUI thread, a refusal shows its own sentence, and a refund goes from request to completion
through the pages of two people."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from backoffice.services.login import StaffSession, open_session
from backoffice.services.refunds import request_refund
from backoffice.ui.dialogs.refund_dialog import RefundDialog
from backoffice.ui.pages.payments_page import PaymentsPage
from tests.conftest import DEMO_PASSWORDS
from tests.integration.refund_fixtures import (  # noqa: F401 (fixture)
    Clinic,
    clinic_fixture,
    unrefunded_payment,
)

WAIT = 15_000


@pytest.fixture
def sessions(clinic: Clinic) -> Iterator[dict[str, StaffSession]]:
    opened = {
        login: open_session(
            clinic.database.profile(), username=login, password=DEMO_PASSWORDS[login]
        )
        for login in ("demo_finance", "demo_admin")
    }
    yield opened
    for session in opened.values():
        session.close()


def refunds_of(clinic: Clinic, payment_id: int) -> list[tuple]:
    return clinic.sql(
        "SELECT amount, state FROM backoffice.refunds WHERE payment_id = %s ORDER BY id", payment_id
    )


def loaded_dialog(qtbot, session, payment_id, confirmations) -> RefundDialog:
    def confirm(parent, text, **_labels):
        confirmations.append(text)
        return True

    dialog = RefundDialog(session, payment_id, confirm=confirm)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.summary is not None and not dialog.is_busy(), timeout=WAIT)
    return dialog


def test_the_dialog_refuses_a_bad_amount_on_the_gui_thread_with_a_sentence(qtbot, clinic, sessions):
    payment = unrefunded_payment(clinic, above="2000")
    confirmations: list[str] = []
    dialog = loaded_dialog(qtbot, sessions["demo_finance"], payment, confirmations)
    paid = clinic.value("SELECT amount FROM payments WHERE payment_id = %s", payment)
    assert f"left to refund: INR {paid:,.2f}" in dialog.figures.text()
    dialog.part.setChecked(True)
    dialog.amount.setText("10.005")
    dialog.submit.click()
    assert dialog.error.text() == "INR amounts have at most 2 decimals; 10.005 has more."
    assert not dialog.is_busy() and confirmations == []
    assert refunds_of(clinic, payment) == []


def test_the_dialog_asks_first_and_a_double_click_makes_one_refund(qtbot, clinic, sessions):
    payment = unrefunded_payment(clinic, above="2000")
    confirmations: list[str] = []
    dialog = loaded_dialog(qtbot, sessions["demo_finance"], payment, confirmations)
    dialog.part.setChecked(True)
    dialog.amount.setText("100")
    with qtbot.waitSignal(dialog.refund_requested, timeout=WAIT) as requested:
        dialog.submit.click()
        dialog.submit.click()  # ignored: the first request is on its way
    client = clinic.value("SELECT invitee_name FROM payments WHERE payment_id = %s", payment)
    assert confirmations == [f"Request a refund of INR 100.00 to {client}?"]
    assert requested.args[0].amount == 100
    assert refunds_of(clinic, payment) == [(100, "requested")]


def test_a_refusal_by_the_service_shows_its_own_sentence(qtbot, clinic, sessions):
    payment = unrefunded_payment(clinic, above="2000")
    dialog = loaded_dialog(qtbot, sessions["demo_finance"], payment, [])
    # Someone else refunds most of the payment after the dialog loaded its figures.
    clinic.run(
        "demo_admin",
        request_refund,
        payment_id=payment,
        amount="2000.00",
        reason_code="goodwill",
        idempotency_key="meanwhile",
    )
    dialog.part.setChecked(True)
    dialog.amount.setText("600")
    with qtbot.waitSignal(dialog.failed, timeout=WAIT) as failed:
        dialog.submit.click()
    assert failed.args[0].startswith("At most ") and "can still be refunded" in failed.args[0]
    assert dialog.error.text() == failed.args[0]
    assert dialog.submit.isEnabled()


def test_a_refund_goes_from_request_to_completion_through_two_peoples_pages(
    qtbot, clinic, sessions
):
    payment = unrefunded_payment(clinic, above="2000")

    def dialog_factory(session, payment_id, parent):
        return RefundDialog(session, payment_id, confirm=lambda *_, **__: True, parent=parent)

    finance = PaymentsPage(sessions["demo_finance"], dialog_factory=dialog_factory)
    admin = PaymentsPage(sessions["demo_admin"])
    for page in (finance, admin):
        qtbot.addWidget(page)
    dialog = finance.request_refund_for(payment)
    qtbot.waitUntil(lambda: dialog.summary is not None and not dialog.is_busy(), timeout=WAIT)
    with qtbot.waitSignal(finance.refund_requested, timeout=WAIT) as requested:
        dialog.submit.click()
    refund = requested.args[0]
    assert "someone other than you must approve it" in finance.status.text()

    finance.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: finance.refunds.select_refund(refund.id), timeout=WAIT)
    qtbot.waitUntil(lambda: not finance.refunds.is_busy(), timeout=WAIT)
    assert finance.refunds.buttons["reject"].isEnabled()
    assert not finance.refunds.buttons["approve"].isEnabled()  # the requester, above the threshold
    # The page says why, in the database's terms: the payment's refunds in all, above the threshold.
    why = finance.refunds.buttons["approve"].toolTip()
    assert "someone else must approve it" in why and why == finance.refunds.hint.text()

    admin.tabs.setCurrentIndex(1)
    admin.refunds._confirm = lambda *_, **__: True
    qtbot.waitUntil(lambda: admin.refunds.select_refund(refund.id), timeout=WAIT)
    qtbot.waitUntil(lambda: admin.refunds.buttons["approve"].isEnabled(), timeout=WAIT)
    with qtbot.waitSignal(admin.refunds.changed, timeout=WAIT):
        admin.refunds.buttons["approve"].click()

    finance.refunds.state_filter.setCurrentIndex(1)  # approved, to complete
    qtbot.waitUntil(lambda: finance.refunds.select_refund(refund.id), timeout=WAIT)
    qtbot.waitUntil(lambda: finance.refunds.buttons["complete"].isEnabled(), timeout=WAIT)
    finance.refunds._ask_text = lambda *_, **__: "rfnd_UI0001"
    with qtbot.waitSignal(finance.refunds.changed, timeout=WAIT) as completed:
        finance.refunds.buttons["complete"].click()
    assert completed.args[0].state == "completed"
    qtbot.waitUntil(
        lambda: not finance.refunds.is_busy() and not admin.refunds.is_busy(), timeout=WAIT
    )
    assert clinic.sql(
        "SELECT p.refund_amount = p.amount, p.refund_status, b.refund_status, b.refund_id "
        "FROM payments p JOIN bookings b USING (booking_id) WHERE p.payment_id = %s",
        payment,
    ) == [(True, "processed", "processed", "rfnd_UI0001")]


def test_the_reconciliation_tab_lists_the_disagreements_and_repairs_one(qtbot, clinic, sessions):
    page = PaymentsPage(sessions["demo_finance"])
    qtbot.addWidget(page)
    page.show()  # the tab in view reloads after the repair
    page.reconciliation._confirm = lambda *_, **__: True
    page.tabs.setCurrentIndex(2)
    panel = page.reconciliation
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0 and not panel.is_busy(), timeout=WAIT)
    before = panel.model.rowCount()
    repaired = panel.model.records[0].payment_id
    assert panel.select_payment(repaired)
    assert not panel.buttons["ledger"].isEnabled() and panel.buttons["booking"].isEnabled()
    with qtbot.waitSignal(panel.repaired, timeout=WAIT):
        panel.buttons["booking"].click()
    qtbot.waitUntil(
        lambda: panel.model.rowCount() == before - 1 and not panel.is_busy(), timeout=WAIT
    )
    assert repaired not in [m.payment_id for m in panel.model.records]


def test_the_amount_box_takes_an_amount_as_the_window_writes_it(qtbot, clinic, sessions):
    """Issue 15, item 15: "2,500.50", as the figures above the box show amounts."""
    payment = unrefunded_payment(clinic, above="2999")
    confirmations: list[str] = []
    dialog = loaded_dialog(qtbot, sessions["demo_finance"], payment, confirmations)
    dialog.part.setChecked(True)
    dialog.amount.setText("2,500.50")
    with qtbot.waitSignal(dialog.refund_requested, timeout=WAIT) as requested:
        dialog.submit.click()
    assert requested.args[0].amount == Decimal("2500.50")
    assert confirmations[0].startswith("Request a refund of INR 2,500.50 to ")
