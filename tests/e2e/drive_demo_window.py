"""Driven by tests/e2e/test_real_window.py in a child process on a real X server (Xvfb):
log in as the demo admin through the login window, open every page, screenshot the screen, log out.

Usage: python -m tests.e2e.drive_demo_window HOST_OR_SOCKET_DIR PORT DATABASE OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QSettings, QThread
from PySide6.QtWidgets import QApplication

from backoffice.app import Application, qt_application
from backoffice.credentials import CredentialStore
from backoffice.services.login import ServerProfile
from backoffice.ui.tasks import pool


def wait(condition, seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = QDeadlineTimer(int(seconds * 1000))
    while not condition():
        if deadline.hasExpired():
            raise SystemExit(f"timed out waiting for {condition.__doc__ or condition}")
        QApplication.processEvents()
        QThread.msleep(20)


def settle(milliseconds: int = 800) -> None:
    deadline = QDeadlineTimer(milliseconds)
    while not deadline.hasExpired():
        QApplication.processEvents()
        QThread.msleep(20)


def main(host: str, port: str, database: str, out_dir: str) -> int:
    app = qt_application()
    out = Path(out_dir)
    is_demo = host.startswith("/")
    profile = ServerProfile(
        host=host,
        port=None if is_demo else int(port),
        database=database,
        sslmode="prefer",
        is_demo=is_demo,
    )
    settings = QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat)
    controller = Application(settings=settings, credentials=CredentialStore(), demo=profile)
    login = controller.show_login()
    settle()
    login.username.setText("demo_admin")
    login.password.setText("demo-admin-pass")
    login.login_button.click()
    wait(lambda: controller.main_window is not None)
    window = controller.main_window
    assert window is not None
    window.resize(1280, 800)
    if window.help.guide is not None:  # the guide of a first login, read and put away
        window.help.guide.close()
    for key in window.page_keys():
        window.show_page(key)
        settle(1500)
        shot = app.primaryScreen().grabWindow(0)
        shot.save(str(out / f"{key}.png"))
        print(f"page {key}: {window.windowTitle()}", flush=True)
    window.logout_requested.emit(False)
    wait(lambda: controller.main_window is None and controller.login_window is not None)
    settle()
    app.primaryScreen().grabWindow(0).save(str(out / "after-logout.png"))
    pool().waitForDone(10_000)
    print("logged out", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
