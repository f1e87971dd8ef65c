"""Issue 15, item 2: dialogs behave with Tab, Enter and Escape as a person expects. Enter is the
dialog's action and never throws typed text away; a wrong default is worse than none; a money
question starts on Cancel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from backoffice.services.login import open_session
from backoffice.ui.dialogs.questions import TextQuestion, confirm
from backoffice.ui.dialogs.refund_dialog import RefundDialog
from backoffice.ui.dialogs.set_password_dialog import SetPasswordDialog
from backoffice.ui.dialogs.transfer_dialog import TransferDialog
from tests.conftest import DEMO_PASSWORDS
from tests.integration.transfer_fixtures import OLD, owner

WAIT = 15_000


@pytest.fixture
def admin(demo_database):
    session = open_session(
        demo_database.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    yield session
    session.close()


def client_of(database, therapist_id: str) -> str:
    with owner(database) as conn:
        return conn.execute(
            "SELECT client_id FROM all_clients_table WHERE therapist_id = %s ORDER BY 1 LIMIT 1",
            (therapist_id,),
        ).fetchone()[0]


def shown_transfer(qtbot, admin, database, asked) -> TransferDialog:
    def ask(parent, text, **_labels):
        asked.append(text)
        return False

    dialog = TransferDialog(admin, client_id=client_of(database, OLD), confirm=ask)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.form.target.count() > 0 and not dialog.is_busy(), timeout=WAIT)
    return dialog


def test_the_new_therapist_starts_unchosen_and_enter_keeps_the_typed_reason(
    qtbot, admin, demo_database
):
    asked: list[str] = []
    dialog = shown_transfer(qtbot, admin, demo_database, asked)
    assert dialog.form.target.currentIndex() == -1  # nobody chosen for the person

    qtbot.keyClicks(dialog.form.reason, "Moved to Pune")
    qtbot.keyClick(dialog.form.reason, Qt.Key.Key_Return)

    assert dialog.isVisible() and dialog.form.reason.text() == "Moved to Pune"
    assert dialog.error.text() == "Choose the new therapist." and asked == []

    dialog.form.target.setCurrentIndex(0)
    qtbot.keyClick(dialog.form.reason, Qt.Key.Key_Enter)
    assert len(asked) == 1 and asked[0].startswith("Transfer ")  # Enter is Transfer…
    assert dialog.isVisible() and dialog.form.reason.text() == "Moved to Pune"


def test_escape_cancels_a_dialog(qtbot, admin, demo_database):
    dialog = shown_transfer(qtbot, admin, demo_database, [])
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result is None  # nothing was transferred


def test_the_action_is_the_default_button_and_cancel_never_is(qtbot, admin, demo_database):
    dialog = shown_transfer(qtbot, admin, demo_database, [])
    cancel = next(b for b in dialog.findChildren(type(dialog.submit)) if b.text() == "Cancel")
    assert dialog.submit.isDefault() and not cancel.isDefault() and not cancel.autoDefault()
    assert not dialog.preview_button.autoDefault()
    refund = RefundDialog(admin, 1, confirm=lambda *_, **__: False)
    qtbot.addWidget(refund)
    assert refund.submit.isDefault()
    qtbot.waitUntil(lambda: not refund.is_busy(), timeout=WAIT)


def _answer_with(key: Qt.Key) -> None:
    """Once the question is up, press `key` in it."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, press)
            return
        QTest.keyClick(box, key)

    QTimer.singleShot(20, press)


@pytest.mark.parametrize(("risky", "expected"), [(False, True), (True, False)])
def test_enter_in_a_question_goes_ahead_unless_money_is_at_stake(qtbot, risky, expected):
    parent = QWidget()
    qtbot.addWidget(parent)
    _answer_with(Qt.Key.Key_Return)
    answer = confirm(parent, "Approve the refund?", title="Refund", action="Approve", risky=risky)
    assert answer is expected
    _answer_with(Qt.Key.Key_Escape)
    assert confirm(parent, "Approve?", title="Refund", action="Approve") is False


def test_a_question_for_a_reason_needs_one_before_its_button_works(qtbot):
    question = TextQuestion(None, "Reject the refund", "Why?", action="Reject")
    qtbot.addWidget(question)
    question.show()
    assert not question.ok.isEnabled() and question.ok.text() == "Reject"
    qtbot.keyClick(question.text, Qt.Key.Key_Return)
    assert question.isVisible()  # Enter on nothing typed does nothing
    qtbot.keyClicks(question.text, "Duplicate")
    qtbot.keyClick(question.text, Qt.Key.Key_Return)
    assert question.result() == 1


def test_a_confirmation_names_its_action_on_its_button(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[str] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, look)
            return
        seen.extend(b.text() for b in box.buttons())
        box.reject()

    QTimer.singleShot(20, look)
    confirm(parent, "Approve the refund of INR 2,500.00 to Asha Rao?", title="R", action="Approve")
    assert "Approve" in seen and "Yes" not in seen


def test_enter_in_the_own_password_dialog_checks_and_never_cancels(qtbot):
    """People's dialog follows the house: Enter is "Set my password", checked first; what is
    wrong is said in the error colour and goes once the person types again."""
    dialog = SetPasswordDialog("Your password was given by an admin: choose your own.")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.new, "short")
    qtbot.keyClick(dialog.new, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.problem.is_error
    assert dialog.new.text() == "short"
    qtbot.keyClicks(dialog.new, "-but-longer-now")
    assert dialog.problem.text() == ""
