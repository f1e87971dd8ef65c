"""Issue 15, items 8 and 15: the login window's layout, focus and demo logins; "remember" offered
only where a keyring keeps it; refused passwords on record with the next successful login."""

from __future__ import annotations

import psycopg
import pytest
from PySide6.QtCore import QPoint, QSettings

from backoffice.credentials import CredentialStore
from backoffice.ui.login_window import LoginWindow
from backoffice.ui.widgets.server_fields import DEMO_CHOICE, SERVER_CHOICE
from tests.pg import libpq_conninfo
from tests.ui.test_login_window import MemoryKeyring, NoKeyring

WAIT = 15_000


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def shown(qtbot, database, settings, backend=None, **kwargs) -> LoginWindow:
    window = LoginWindow(
        settings=settings,
        credentials=CredentialStore(backend or MemoryKeyring()),
        demo=database.profile(),
        **kwargs,
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def log_in(qtbot, window: LoginWindow, username: str, password: str) -> None:
    window.username.setText(username)
    window.password.setText(password)
    window.login_button.click()
    qtbot.waitUntil(lambda: window.login_button.isEnabled() or window.result() != 0, timeout=WAIT)


def test_the_first_key_typed_goes_into_the_user_name_or_the_password_when_it_is_known(
    qtbot, demo_database, settings
):
    first = shown(qtbot, demo_database, settings)
    assert first.focusWidget() is first.username

    settings.setValue("login/username", "demo_admin")
    second = shown(qtbot, demo_database, settings)
    assert second.focusWidget() is second.password


def test_every_label_of_the_form_lines_up(qtbot, demo_database, settings):
    window = shown(qtbot, demo_database, settings)
    window.where.setCurrentIndex(window.where.findData(SERVER_CHOICE))
    form = window.form
    rights = {
        form.labelForField(field).mapTo(window, QPoint(form.labelForField(field).width(), 0)).x()
        for field in (window.where, window.host, window.port, window.username, window.password)
    }
    assert len(rights) == 1


def test_a_message_makes_the_window_taller_and_moves_or_squashes_no_row(
    qtbot, demo_database, settings
):
    window = shown(qtbot, demo_database, settings)
    rows = (window.where, window.username, window.password, window.remember)
    qtbot.wait(50)
    before = [(w.y(), w.height()) for w in rows]

    log_in(qtbot, window, "demo_admin", "wrong-password")  # a sentence of two lines
    qtbot.wait(50)

    assert "not accepted" in window.message.text()
    assert [(w.y(), w.height()) for w in rows] == before
    assert window.message.height() >= window.message.heightForWidth(window.message.width())


def test_the_demo_logins_are_a_table_whose_rows_fill_in_the_form(qtbot, demo_database, settings):
    logins = [
        ("demo_admin", "demo-admin-pass", "admin"),
        ("demo_finance", "demo-finance-pass", "finance"),
    ]
    window = shown(qtbot, demo_database, settings, demo_logins=logins)
    assert window.demo_logins is not None and window.demo_logins.isVisible()

    window.demo_logins.findChild(object, "use_demo_finance").click()
    assert (window.username.text(), window.password.text()) == ("demo_finance", "demo-finance-pass")

    window.where.setCurrentIndex(window.where.findData(SERVER_CHOICE))
    assert not window.demo_logins.isVisible()  # they open the demo only


def test_without_a_keyring_remember_is_never_offered_not_even_after_a_failure(
    qtbot, demo_database, settings
):
    window = shown(qtbot, demo_database, settings, NoKeyring())
    qtbot.waitUntil(lambda: window.notice.isVisible(), timeout=WAIT)
    assert not window.remember.isEnabled() and not window.remember.isChecked()

    window.where.setCurrentIndex(window.where.findData(DEMO_CHOICE))
    log_in(qtbot, window, "demo_admin", "wrong-password")

    assert "not accepted" in window.message.text()
    assert not window.remember.isEnabled() and not window.remember.isChecked()


def test_an_error_goes_away_once_the_person_types_again(qtbot, demo_database, settings):
    window = shown(qtbot, demo_database, settings)
    log_in(qtbot, window, "demo_admin", "wrong-password")
    assert window.message.is_error

    qtbot.keyClicks(window.password, "x")
    assert window.message.text() == ""


def test_refused_passwords_are_kept_here_without_the_password_and_recorded_by_the_next_login(
    qtbot, demo_clone, settings, tmp_path
):
    window = shown(qtbot, demo_clone, settings)
    log_in(qtbot, window, "demo_admin", "guessed-wrong")
    log_in(qtbot, window, "demo_admin", "guessed-wrong-again")
    settings.sync()
    kept = (tmp_path / "settings.ini").read_text()
    assert kept.count("demo_admin") >= 2 and "guessed-wrong" not in kept

    with qtbot.waitSignal(window.logged_in, timeout=WAIT) as signal:
        log_in(qtbot, window, "demo_finance", "demo-finance-pass")
    signal.args[0].close()

    with psycopg.connect(libpq_conninfo(demo_clone.owner_url)) as conn:
        rows = conn.execute(
            "SELECT subject_id, actor, details ->> 'reported_by' FROM backoffice.audit_events "
            "WHERE action = 'login.failed' ORDER BY id"
        ).fetchall()
    assert rows == [("demo_admin", "demo_finance", "demo_finance")] * 2
    settings.sync()
    assert "demo_admin" not in str(settings.value("login/failed_attempts"))
