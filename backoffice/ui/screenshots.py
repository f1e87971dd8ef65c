"""`backoffice demo --screenshots DIR`: log in as each demo role, visit every page, save a PNG of each."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from backoffice.credentials import CredentialStore
from backoffice.services.login import ServerProfile, open_session
from backoffice.ui.login_window import LoginWindow
from backoffice.ui.main_window import MainWindow
from backoffice.ui.tasks import pool

SETTLE_MS = 1_500


def take_screenshots(
    profile: ServerProfile, logins: Sequence[tuple[str, str, str]], out_dir: Path, *, hint: str = ""
) -> list[Path]:
    """One PNG per page and role (plus the login window); returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    settings = QSettings(str(out_dir / ".screenshots-settings.ini"), QSettings.Format.IniFormat)
    written = [_login_window(profile, settings, out_dir, hint)]
    for username, password, role in logins:
        session = open_session(profile, username=username, password=password)
        window = MainWindow(session, settings=settings)
        window.resize(1280, 800)
        window.show()
        for key in window.page_keys():
            window.show_page(key)
            _settle()
            path = out_dir / f"{role}-{username}-{key}.png"
            window.grab().save(str(path))
            written.append(path)
        window.close()
        session.close()
    pool().waitForDone(10_000)
    return written


def _login_window(profile: ServerProfile, settings: QSettings, out_dir: Path, hint: str) -> Path:
    window = LoginWindow(
        settings=settings, credentials=CredentialStore(), demo=profile, demo_hint=hint
    )
    window.show()
    _settle()
    path = out_dir / "login-window.png"
    window.grab().save(str(path))
    window.close()
    return path


def _settle() -> None:
    """Let background loads finish and the window paint."""
    from PySide6.QtCore import QDeadlineTimer, QThread

    deadline = QDeadlineTimer(SETTLE_MS)
    while not deadline.hasExpired():
        QApplication.processEvents()
        QThread.msleep(20)
