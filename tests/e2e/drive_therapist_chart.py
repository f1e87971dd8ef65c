"""Driven by tests/e2e/test_real_window.py in a child process on a real X server (Xvfb): log in as
demo_therapist through the login window, open a client's chart from the dashboard, read the note
it opens on, write an additional note, screenshot the screen, log out.

Usage: python -m tests.e2e.drive_therapist_chart HOST_OR_SOCKET_DIR PORT DATABASE OUT_DIR TEXT
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QPushButton

from backoffice.app import Application, qt_application
from backoffice.credentials import CredentialStore
from backoffice.services.login import ServerProfile
from backoffice.ui.main_window import MainWindow
from backoffice.ui.tasks import pool
from tests.e2e.drive_demo_window import settle, wait


def log_in(controller: Application) -> MainWindow:
    login = controller.show_login()
    settle()
    login.username.setText("demo_therapist")
    login.password.setText("demo-therapist-pass")
    login.login_button.click()
    wait(lambda: controller.main_window is not None)
    window = controller.main_window
    assert window is not None
    window.resize(1280, 800)
    if window.help.guide is not None:  # the guide of a first login, read and put away
        window.help.guide.close()
    return window


def open_chart_from_dashboard(window: MainWindow) -> None:
    dashboard = window.pages["dashboard"]
    wait(lambda: getattr(dashboard, "dashboard", None) is not None)
    settle()
    buttons = [b for b in dashboard.findChildren(QPushButton) if b.objectName().endswith("_chart")]
    print(f"dashboard offers {len(buttons)} charts", flush=True)
    print(f"charts: {[b.objectName() for b in buttons]}", flush=True)
    # A client received this month (the test transfers one) or at risk: a chart with notes to
    # read; today's sessions are still to come at some hours of the day, and have none yet.
    with_notes = [b for b in buttons if b.objectName().startswith(("received_", "at_risk_"))]
    (with_notes or buttons)[0].click()
    chart = window.chart_page
    assert chart is not None
    wait(lambda: chart.note_view.detail is not None and not chart.is_busy())
    print(f"chart opened: {window.current_page_key()} {chart.header.name.text()}", flush=True)
    detail = chart.note_view.detail
    assert detail is not None
    print(f"note read: {detail.note_id}", flush=True)


def write_additional_note(window: MainWindow, text: str) -> None:
    """On the client's next session with this therapist (their own: shared history is read only)."""
    chart = window.chart_page
    assert chart is not None and chart.chart is not None
    own = next(e for e in chart.chart.upcoming if not e.by_previous_therapist)
    chart.timeline.select(own.session.booking_id)
    wait(lambda: chart.additional.editor.isVisible())
    chart.additional.editor.setFocus()
    chart.additional.editor.setPlainText(text)
    settle(300)
    chart.additional.save_button.click()
    wait(lambda: "Saved" in chart.additional.status.text() and not chart.is_busy())
    settle()
    print("additional note saved", flush=True)


def main(host: str, port: str, database: str, out_dir: str, text: str) -> int:
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
    window = log_in(controller)
    open_chart_from_dashboard(window)
    write_additional_note(window, text)
    app.primaryScreen().grabWindow(0).save(str(out / "chart.png"))
    window.logout_requested.emit(False)
    wait(lambda: controller.main_window is None and controller.login_window is not None)
    pool().waitForDone(10_000)
    QApplication.processEvents()
    print("logged out", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
