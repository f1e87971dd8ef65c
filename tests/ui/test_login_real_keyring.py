"""The login window with a real Secret Service: the remembered password is in the keyring and in
no file of the (throwaway) home, data or configuration directories."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from backoffice.credentials import CredentialStore
from backoffice.ui.login_window import LoginWindow
from backoffice.ui.widgets.server_fields import DEMO_CHOICE

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the Secret Service is Linux's")


@pytest.mark.timeout(90)
def test_a_remembered_password_lives_in_the_real_keyring_and_nowhere_else(
    qtbot,
    demo_database,
    secret_service,
    tmp_path,
):
    from keyring.backends import SecretService

    password = "demo-admin-pass"
    config_home = Path(os.environ["XDG_CONFIG_HOME"])
    settings = QSettings(
        str(config_home / "clinic-backoffice" / "settings.ini"), QSettings.Format.IniFormat
    )
    store = CredentialStore(SecretService.Keyring())
    window = LoginWindow(settings=settings, credentials=store, demo=demo_database.profile())
    qtbot.addWidget(window)
    window.where.setCurrentIndex(window.where.findData(DEMO_CHOICE))
    window.username.setText("demo_admin")
    window.password.setText(password)
    window.remember.setChecked(True)
    with qtbot.waitSignal(window.logged_in, timeout=20_000) as signal:
        window.login_button.click()
    signal.args[0].close()
    settings.sync()

    assert store.recall(demo_database.profile().key, "demo_admin") == password
    leaks = [
        path
        for path in tmp_path.rglob("*")
        if path.is_file() and password.encode() in path.read_bytes()
    ]
    assert leaks == []
    assert (config_home / "clinic-backoffice" / "settings.ini").exists()
