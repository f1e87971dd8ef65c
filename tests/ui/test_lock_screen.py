"""Issue 15, item 1: a locked window shows nothing of the clinic, and a wrong password is on record.

Ctrl+L (or the idle time) puts a lock page in place of the content; open dialogs go away with it
and come back on unlock; the title names no client; a wrong unlock is in the audit log at once.
"""

from __future__ import annotations

import psycopg
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QWidget,
)

from backoffice.services.login import open_session
from backoffice.ui.lock_page import WRONG_PASSWORD
from backoffice.ui.main_window import MainWindow
from tests.conftest import DEMO_PASSWORDS
from tests.pg import libpq_conninfo

WAIT = 15_000


@pytest.fixture
def window(qtbot, demo_clone, tmp_path):
    session = open_session(
        demo_clone.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(session, settings=settings)
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    yield window
    window.idle_lock.stop()
    window.pages["clients"].close_page()
    session.close()


def first_client_name(qtbot, window: MainWindow) -> str:
    window.show_page("clients")
    table = window.pages["clients"].table
    qtbot.waitUntil(lambda: table.model.texts(0) is not None, timeout=WAIT)
    table.table.setCurrentIndex(table.model.index(0, 0))
    return table.model.texts(0)[0]


def visible_texts(window: MainWindow) -> list[str]:
    """Every text a person could read on the window: labels, buttons, fields, table cells."""
    texts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            columns = 1 if isinstance(widget, QListView) else model.columnCount()
            texts += [
                str(model.index(r, c).data() or "")
                for r in range(min(model.rowCount(), 50))
                for c in range(columns)
            ]
    return texts


def test_ctrl_l_hides_every_client_behind_the_lock_page_and_the_title_names_none(qtbot, window):
    name = first_client_name(qtbot, window)
    assert any(name in text for text in visible_texts(window))  # the test can see a name

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    assert window.is_locked()
    assert not any(name in text for text in visible_texts(window))
    assert name not in window.windowTitle() and "locked" in window.windowTitle()
    assert window.lock_page.password.hasFocus()


def test_a_locked_window_looks_the_same_whatever_was_open_behind_it(qtbot, window):
    first_client_name(qtbot, window)
    window.lock()
    over_clients = window.grab().toImage()
    window.lock_page.password.setText("demo-admin-pass")
    window.lock_page.unlock_button.click()
    qtbot.waitUntil(lambda: not window.is_locked(), timeout=WAIT)

    window.show_page("dashboard")
    window.lock()
    assert window.grab().toImage() == over_clients


def test_an_open_dialog_goes_away_with_the_lock_and_comes_back_on_unlock(qtbot, window):
    first_client_name(qtbot, window)
    window.pages["clients"].action_buttons["Transfer client…"].click()
    dialog = window.pages["clients"].findChild(QWidget, "transfer_dialog")
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=WAIT)

    window.lock()
    assert not dialog.isVisible()
    window.lock_page.password.setText("demo-admin-pass")
    window.lock_page.unlock_button.click()
    qtbot.waitUntil(lambda: not window.is_locked(), timeout=WAIT)
    assert dialog.isVisible()
    dialog.reject()


def test_a_wrong_unlock_password_is_refused_and_in_the_audit_log_at_once(qtbot, window, demo_clone):
    window.lock()
    page = window.lock_page
    page.password.setText("not-my-password")
    page.unlock_button.click()
    qtbot.waitUntil(lambda: not page.is_checking(), timeout=WAIT)

    assert window.is_locked() and page.message.text() == WRONG_PASSWORD
    assert page.message.is_error and page.password.text() == ""
    with psycopg.connect(libpq_conninfo(demo_clone.owner_url)) as conn:
        rows = conn.execute(
            "SELECT actor, subject_id FROM backoffice.audit_events "
            "WHERE action = 'session.unlock_failed'"
        ).fetchall()
    assert rows == [("demo_admin", "demo_admin")]
    assert "Reconnecting" not in window.connection_state.text()  # the server did answer


def test_the_window_locks_after_the_idle_time_and_unlocks_on_the_same_page(qtbot, window):
    window.show_page("payments")
    window.idle_lock.set_interval_ms(50)
    qtbot.waitUntil(window.is_locked, timeout=5_000)
    window.idle_lock.set_interval_ms(600_000)

    window.lock_page.password.setText("demo-admin-pass")
    qtbot.keyClick(window.lock_page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.is_locked(), timeout=WAIT)
    assert window.current_page_key() == "payments"
    window.pages["payments"].close_page()


def test_locked_the_offline_menu_waits_for_the_password_too(qtbot, demo_clone, tmp_path):
    session = open_session(
        demo_clone.profile(), username="demo_therapist", password=DEMO_PASSWORDS["demo_therapist"]
    )
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    therapist = MainWindow(session, settings=settings)
    qtbot.addWidget(therapist)
    therapist.show()
    try:
        offline = therapist.offline_menu
        assert offline is not None and all(a.isEnabled() for a in offline.actions())
        therapist.lock()
        assert not offline.isEnabled()  # no one takes, syncs or wipes the copy at a locked desk
        assert not any(a.isEnabled() for a in offline.actions())
        therapist.unlock()
        assert offline.isEnabled() and all(a.isEnabled() for a in offline.actions())
    finally:
        therapist.idle_lock.stop()
        session.close()
