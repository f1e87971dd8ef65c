"""The therapists page and the transfer dialog, offscreen, on a private demo clinic: required fields are
checked on the GUI thread, the person confirms, every call runs on a worker, and a refusal shows the
service's own sentence."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from backoffice.services import transfers
from backoffice.services.login import StaffSession, open_session
from backoffice.ui import tasks
from backoffice.ui.dialogs.transfer_dialog import TransferDialog
from backoffice.ui.pages.therapists_page import TherapistsPage
from tests.conftest import DEMO_PASSWORDS
from tests.integration.transfer_fixtures import NEW, OLD, ROOMY, owner

WAIT = 15_000
LEAVING = "58004"


@pytest.fixture
def session(demo_clone) -> Iterator[StaffSession]:
    opened = open_session(
        demo_clone.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    yield opened
    opened.close()


def sql(db, query: str, *params: object) -> list[tuple]:
    with owner(db) as conn:
        return conn.execute(query, params).fetchall()


@pytest.fixture
def page(qtbot, session) -> TherapistsPage:
    asked: list[str] = []
    opened: list[dict] = []

    def confirm(parent, text, **_labels):
        asked.append(text)
        return True

    def dialog_factory(session, parent, **target):
        opened.append(target)
        dialog = TransferDialog(session, parent=parent, confirm=confirm, **target)
        qtbot.addWidget(dialog)
        return dialog

    widget = TherapistsPage(
        session,
        confirm=confirm,
        ask_text=lambda *_, **__: "Leaving in March",
        dialog_factory=dialog_factory,
    )
    widget.asked, widget.opened = asked, opened  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.show()
    panel = widget.applications
    qtbot.waitUntil(
        lambda: panel.model.rowCount() == 3 and panel.application is not None, timeout=WAIT
    )
    return widget


def test_the_queue_shows_each_pending_application_beside_its_documents(qtbot, page, demo_clone):
    panel = page.applications
    app = panel.application
    assert app is not None and app.state == "pending"
    assert app.full_name in panel.details.toPlainText()
    shown = [panel.documents.item(i).toolTip() for i in range(panel.documents.count())]
    assert shown[: len(app.draft.documents)] == list(app.draft.documents)
    panel.search.setText(app.email[:10])
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=WAIT)
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=WAIT)


def test_reject_without_a_reason_is_stopped_and_with_one_is_recorded(qtbot, page, demo_clone):
    panel = page.applications
    app_id = panel.application.application_id
    panel.decision.buttons["reject"].click()
    assert panel.status.text() == "Give the reason for rejecting the application."
    assert sql(
        demo_clone, "SELECT state FROM backoffice.therapist_applications WHERE id = %s", app_id
    ) == [("pending",)]
    panel.decision.message.setPlainText("The registration number could not be verified.")
    with qtbot.waitSignal(panel.decided, timeout=WAIT):
        panel.decision.buttons["reject"].click()
    assert sql(
        demo_clone,
        "SELECT state, decided_by FROM backoffice.therapist_applications WHERE id = %s",
        app_id,
    ) == [("rejected", "demo_admin")]
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=WAIT)
    # The next application opens, its photo and documents load: the page settles before the end.
    qtbot.waitUntil(lambda: tasks.running_count() == 0, timeout=WAIT)


def test_approving_asks_first_and_makes_the_therapist(qtbot, page, demo_clone):
    panel = page.applications
    app = panel.application
    with qtbot.waitSignal(panel.decided, timeout=WAIT) as decided:
        panel.decision.buttons["approve"].click()
    assert page.asked == [f"Approve {app.full_name} as a therapist of the clinic?"]
    result = decided.args[0]
    assert sql(
        demo_clone, "SELECT name FROM therapists WHERE therapist_id = %s", result.therapist_id
    ) == [(app.full_name,)]
    assert f"{app.full_name} is now a therapist of the clinic." in panel.status.text()
    page.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: page.history_model.rowCount() > 0, timeout=WAIT)
    assert page.history_model.record(0).action == "approved"
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=WAIT)  # the next applicant's photo


def test_a_login_needs_a_long_enough_password_before_anything_is_sent(qtbot, page):
    panel = page.applications
    panel.decision.with_login.setChecked(True)
    panel.decision.password.setText("short")
    panel.decision.buttons["approve"].click()
    assert panel.status.text() == "The password must have at least 10 characters."
    assert page.asked == []


def test_deactivating_a_therapist_offers_to_transfer_their_caseload(qtbot, page, demo_clone):
    page.tabs.setCurrentIndex(1)
    roster = page.roster
    qtbot.waitUntil(lambda: roster.model.rowCount() == 8, timeout=WAIT)
    assert roster.select_therapist(LEAVING)
    roster.buttons["deactivate"][0].click()
    qtbot.waitUntil(lambda: page.opened == [{"from_therapist_id": LEAVING}], timeout=WAIT)
    assert sql(demo_clone, "SELECT is_active, reason FROM backoffice.therapist_status_changes") == [
        (False, "Leaving in March")
    ]
    dialog = roster.dialog
    qtbot.waitUntil(lambda: dialog.form.target.count() > 0, timeout=WAIT)
    assert dialog.bulk and LEAVING not in dialog.form.chosen_targets()


def _dialog(qtbot, session, confirmations, **target) -> TransferDialog:
    def confirm(parent, text, **_labels):
        confirmations.append(text)
        return True

    dialog = TransferDialog(session, confirm=confirm, **target)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.form.target.count() > 0 and not dialog.is_busy(), timeout=WAIT)
    return dialog


def _client_of(db, therapist_id: str) -> str:
    return sql(
        db,
        "SELECT client_id FROM all_clients_table WHERE therapist_id = %s ORDER BY client_id LIMIT 1",
        therapist_id,
    )[0][0]


def test_the_dialog_transfers_one_client_once_the_reason_is_given(qtbot, session, demo_clone):
    client = _client_of(demo_clone, OLD)
    confirmations: list[str] = []
    dialog = _dialog(qtbot, session, confirmations, client_id=client)
    dialog.form.choose_target(NEW)
    dialog.submit.click()
    assert dialog.error.text() == "Give the reason for the transfer."
    dialog.form.reason.setText("Client moved to another city")
    with qtbot.waitSignal(dialog.transferred, timeout=WAIT) as done:
        dialog.submit.click()
    assert len(confirmations) == 1 and confirmations[0].startswith("Transfer ")
    assert done.args[0].to_therapist_id == NEW
    assert sql(
        demo_clone, "SELECT therapist_id FROM all_clients_table WHERE client_id = %s", client
    ) == [(NEW,)]


def test_a_client_moved_meanwhile_shows_the_services_own_sentence(qtbot, session, demo_clone):
    client = _client_of(demo_clone, OLD)
    dialog = _dialog(qtbot, session, [], client_id=client)
    with session.unit_of_work() as uow:  # another admin, between loading and submitting
        transfers.transfer_client(
            uow, session.actor, client_id=client, to_therapist_id=ROOMY, reason="other"
        )
    dialog.form.choose_target(NEW)
    dialog.form.reason.setText("Too late")
    with qtbot.waitSignal(dialog.failed, timeout=WAIT):
        dialog.submit.click()
    assert "meanwhile; nothing was changed" in dialog.error.text()
    assert sql(
        demo_clone, "SELECT therapist_id FROM all_clients_table WHERE client_id = %s", client
    ) == [(ROOMY,)]


def test_the_dialog_previews_a_caseload_and_transfers_it_as_previewed(qtbot, session, demo_clone):
    caseload = sql(
        demo_clone, "SELECT count(*) FROM all_clients_table WHERE therapist_id = %s", LEAVING
    )[0][0]
    dialog = _dialog(qtbot, session, [], from_therapist_id=LEAVING)
    dialog.form.choose_target(ROOMY)
    dialog.form.reason.setText("Therapist leaves the clinic")
    dialog.submit.click()
    assert dialog.error.text().startswith("Preview the transfer first")
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT)
    assert (
        dialog.preview_model.rowCount() == caseload and "over capacity" not in dialog.loads.text()
    )
    with qtbot.waitSignal(dialog.transferred, timeout=WAIT):
        dialog.submit.click()
    assert (
        sql(demo_clone, "SELECT count(*) FROM all_clients_table WHERE therapist_id = %s", ROOMY)[0][
            0
        ]
        >= caseload
    )
    assert sql(
        demo_clone, "SELECT count(*) FROM all_clients_table WHERE therapist_id = %s", LEAVING
    ) == [(0,)]


def test_changing_a_choice_after_the_preview_discards_it(qtbot, session):
    dialog = _dialog(qtbot, session, [], from_therapist_id=LEAVING)
    dialog.form.choose_target(ROOMY)
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=WAIT)
    dialog.form.spread.setChecked(True)
    assert dialog.preview is None and dialog.preview_model.rowCount() == 0
