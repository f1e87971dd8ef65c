"""The login window when the password was given by an admin: the person chooses their own in a small
dialog and is then logged in with it (and only it is remembered)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from psycopg import sql
from PySide6.QtCore import QSettings

from backoffice.credentials import CredentialStore
from backoffice.db import UnitOfWork
from backoffice.services import therapists
from backoffice.ui.login_window import LoginWindow
from backoffice.ui.widgets.server_fields import DEMO_CHOICE
from tests.integration.transfer_fixtures import actor_of, admin_engine, owner
from tests.ui.test_login_window import MemoryKeyring

TEMPORARY, OWN = "given-by-the-admin", "chosen-by-myself"


@pytest.fixture
def admin_made_login(demo_clone) -> Iterator[str]:
    login = f"new_{uuid.uuid4().hex[:8]}"
    with admin_engine(demo_clone) as engine, UnitOfWork(engine) as uow:
        therapists.create_therapist_login(
            uow, actor_of(demo_clone), therapist_id="58004", password=TEMPORARY, login_name=login
        )
    try:
        yield login
    finally:
        with owner(demo_clone) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def _window(qtbot, tmp_path, demo_clone, backend):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = LoginWindow(
        settings=settings, credentials=CredentialStore(backend), demo=demo_clone.profile()
    )
    qtbot.addWidget(window)
    window.where.setCurrentIndex(window.where.findData(DEMO_CHOICE))
    return window


def _log_in_with_the_temporary_password(qtbot, window, login):
    window.username.setText(login)
    window.password.setText(TEMPORARY)
    window.remember.setChecked(True)
    window.login_button.click()
    qtbot.waitUntil(
        lambda: window.password_dialog is not None and window.password_dialog.isVisible(),
        timeout=15_000,
    )
    return window.password_dialog


def test_the_person_chooses_their_own_password_and_is_logged_in_with_it(
    qtbot, tmp_path, demo_clone, admin_made_login
):
    keyring = MemoryKeyring()
    window = _window(qtbot, tmp_path, demo_clone, keyring)
    dialog = _log_in_with_the_temporary_password(qtbot, window, admin_made_login)
    assert "choose your own password" in dialog.reason.text()
    dialog.new.setText(OWN)
    dialog.again.setText(OWN)
    if shots := os.environ.get("BACKOFFICE_SCREENSHOTS"):
        dialog.grab().save(os.path.join(shots, "set-password-dialog.png"))
    with qtbot.waitSignal(window.logged_in, timeout=20_000) as signal:
        dialog.ok_button.click()
    session = signal.args[0]
    try:
        assert (session.actor.login_role, session.actor.therapist_id) == (admin_made_login, "58004")
    finally:
        session.close()
    assert list(keyring.entries.values()) == [OWN]


def test_two_different_passwords_are_refused_and_cancelling_changes_nothing(
    qtbot, tmp_path, demo_clone, admin_made_login
):
    window = _window(qtbot, tmp_path, demo_clone, MemoryKeyring())
    dialog = _log_in_with_the_temporary_password(qtbot, window, admin_made_login)
    dialog.new.setText(OWN)
    dialog.again.setText(OWN + "!")
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.problem.text() == "The two passwords differ."
    dialog.reject()
    qtbot.waitUntil(window.login_button.isEnabled, timeout=5_000)
    assert window.message.text().startswith("Your password was not changed")
