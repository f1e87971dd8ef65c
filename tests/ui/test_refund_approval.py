"""Issue 15, item 10: Approve is off for the person who asked, with the reason shown; approving
asks first, naming the amount and the client; the admin's dashboard counts the refunds waiting for
their approval (their own above the threshold excepted)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from backoffice.services.dashboard import get_dashboard
from backoffice.services.login import open_session
from backoffice.services.refunds import request_refund
from backoffice.ui.pages.dashboard_page import DashboardPage
from backoffice.ui.pages.refunds_panel import RefundsPanel
from tests.conftest import DEMO_PASSWORDS
from tests.integration.refund_fixtures import (  # noqa: F401 (fixture)
    Clinic,
    clinic_fixture,
    unrefunded_payment,
)

WAIT = 15_000


@pytest.fixture
def requested(clinic):
    """A refund of INR 2,500.00 requested by finance: above the approval threshold."""
    payment = unrefunded_payment(clinic, above="2500")
    refund = clinic.run(
        "demo_finance",
        request_refund,
        payment_id=payment,
        amount="2500.00",
        reason_code="client_cancelled",
        idempotency_key="approval",
    )
    assert refund.needs_second_approver
    return refund


def panel_for(qtbot, clinic, login: str, asked: list[tuple[str, dict]]) -> RefundsPanel:
    session = open_session(
        clinic.database.profile(), username=login, password=DEMO_PASSWORDS[login]
    )
    panel = RefundsPanel(session, confirm=lambda _p, text, **how: asked.append((text, how)) or True)
    panel.session_to_close = session  # type: ignore[attr-defined]
    qtbot.addWidget(panel)
    panel.refresh()
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0 and not panel.is_busy(), timeout=WAIT)
    return panel


def test_approve_is_off_for_the_requester_and_the_panel_says_why(qtbot, clinic, requested):
    panel = panel_for(qtbot, clinic, "demo_finance", [])
    panel.show()
    assert panel.select_refund(requested.id)
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=WAIT)

    approve = panel.buttons["approve"]
    assert not approve.isEnabled() and panel.buttons["reject"].isEnabled()
    assert panel.hint.isVisible()
    assert f"You requested refund #{requested.id} yourself" in panel.hint.text()
    assert "someone else must approve it (four eyes)" in panel.hint.text()
    assert approve.toolTip() == panel.hint.text()
    panel.session_to_close.close()


def test_approving_asks_first_with_the_amount_and_the_client(qtbot, clinic, requested):
    asked: list[tuple[str, dict]] = []
    panel = panel_for(qtbot, clinic, "demo_admin", asked)
    assert panel.select_refund(requested.id)
    qtbot.waitUntil(lambda: panel.buttons["approve"].isEnabled(), timeout=WAIT)
    with qtbot.waitSignal(panel.changed, timeout=WAIT) as changed:
        panel.buttons["approve"].click()

    ((question, how),) = asked
    assert (
        question
        == f"Approve the refund #{requested.id} of INR 2,500.00 to {requested.client_name}?"
    )
    assert how["action"] == "Approve" and how["risky"] is True  # Cancel is the default
    assert changed.args[0].state == "approved"
    assert panel.status.text().startswith(f"Refund #{requested.id} of INR 2,500.00 to ")
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=WAIT)
    panel.session_to_close.close()


def test_a_refused_approval_changes_nothing(qtbot, clinic, requested):
    panel = panel_for(qtbot, clinic, "demo_admin", [])
    panel._confirm = lambda *_, **__: False
    assert panel.select_refund(requested.id)
    qtbot.waitUntil(lambda: panel.buttons["approve"].isEnabled(), timeout=WAIT)
    panel.buttons["approve"].click()
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=WAIT)
    assert clinic.value("SELECT state FROM backoffice.refunds WHERE id = %s", requested.id) == (
        "requested"
    )
    panel.session_to_close.close()


def test_the_admins_dashboard_counts_the_refunds_waiting_for_their_approval(
    qtbot, clinic, requested
):
    counted = clinic.run("demo_admin", get_dashboard).refunds_to_approve
    assert counted.count >= 1 and any(m.currency == "INR" for m in counted.totals)
    clinic.run(  # the admin's own, above the threshold: someone else's to approve
        "demo_admin",
        request_refund,
        payment_id=unrefunded_payment(clinic, above="2500", status="completed"),
        amount="2500.00",
        reason_code="goodwill",
        idempotency_key="own",
    )
    assert clinic.run("demo_admin", get_dashboard).refunds_to_approve == counted
    own = clinic.run("demo_finance", get_dashboard)  # finance has no such tile; its own waits
    assert not hasattr(own, "refunds_to_approve")

    session = open_session(
        clinic.database.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    page = DashboardPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.dashboard is not None, timeout=WAIT)
    tile = page.findChild(QLabel, "refunds_to_approve_value")
    assert tile is not None and tile.text() == str(counted.count)
    session.close()
