"""What the end-to-end drivers of a role's day share: the window on a real X server, typed into
and clicked as a person would, questions answered by pressing their buttons, and screenshots of
the whole screen (so a dialog over the window is in the picture)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

from backoffice.app import Application, qt_application
from backoffice.credentials import CredentialStore
from backoffice.services.login import ServerProfile
from backoffice.ui.main_window import MainWindow
from backoffice.ui.tasks import pool
from tests.e2e.drive_demo_window import settle, wait

PASSWORDS = {
    "demo_admin": "demo-admin-pass",
    "demo_finance": "demo-finance-pass",
    "demo_therapist": "demo-therapist-pass",
}


class Day:
    """One person's day at one workstation: the application, its settings and the screenshots."""

    def __init__(self, host: str, port: str, database: str, out_dir: str, look: str) -> None:
        self.app = qt_application()
        self.out, self.look = Path(out_dir), look
        self.app.setProperty("shots", str(self.out))
        if look == "dark":
            use_dark_palette(self.app)
        is_demo = host.startswith("/")
        profile = ServerProfile(
            host=host,
            port=None if is_demo else int(port),
            database=database,
            sslmode="prefer",
            is_demo=is_demo,
        )
        settings = QSettings(str(self.out / "settings.ini"), QSettings.Format.IniFormat)
        self.controller = Application(
            settings=settings, credentials=CredentialStore(), demo=profile
        )
        self.timers: list[QTimer] = []

    def shot(self, name: str) -> Path:
        """The whole screen, as a person sees it: `<name>-<look>.png`."""
        settle(400)
        path = self.out / f"{name}-{self.look}.png"
        self.app.primaryScreen().grabWindow(0).save(str(path))
        print(f"screenshot {path.name}", flush=True)
        return path

    def log_in(self, username: str) -> MainWindow:
        """Type the user name and password into the login window and press Enter; the guide that
        opens on a first login is looked at and put away."""
        login = self.controller.show_login()
        settle()
        login.username.clear()
        QTest.keyClicks(login.username, username)
        QTest.keyClicks(login.password, PASSWORDS[username])
        QTest.keyClick(login.password, Qt.Key.Key_Return)
        wait(lambda: self.controller.main_window is not None)
        window = self.controller.main_window
        assert window is not None
        window.resize(1280, 800)
        guide = window.help.guide
        if guide is not None and guide.isVisible():
            self.shot(f"{username}-guide")
            QTest.keyClick(guide, Qt.Key.Key_Escape)
            wait(lambda: not guide.isVisible())
        settle()
        print(f"logged in: {window.windowTitle()}", flush=True)
        return window

    def log_out(self) -> None:
        window = self.controller.main_window
        assert window is not None
        window.logout_requested.emit(False)
        wait(lambda: self.controller.main_window is None)
        settle()
        print("logged out", flush=True)

    def finish(self) -> int:
        login = self.controller.login_window
        if login is not None:
            login.close()
        pool().waitForDone(10_000)
        QApplication.processEvents()
        return 0


def use_dark_palette(app: QApplication) -> None:
    """A dark palette as a desktop in dark mode gives one (Fusion draws it faithfully)."""
    app.setStyle("Fusion")
    colours = {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#2f6f73",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#353535",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.PlaceholderText: "#9a9a9a",
        QPalette.ColorRole.Link: "#7cc4c8",
    }
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):  # what is off looks off
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    app.setPalette(palette)


def answer_next(
    day: Day,
    button: str,
    *,
    shot: str | None = None,
    text: str = "",
    name: str = "confirmation",
) -> list[str]:
    """Answer the next question the window asks (the modal dialog named `name`: a confirmation or
    a "text_question"): type `text` into its line if it has one, take a screenshot, press the
    button labelled `button`. Returns [the question's text], filled in once answered."""
    asked: list[str] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or dialog.objectName() != name:
            return
        timer.stop()
        asked.append(" ".join(label.text() for label in dialog.findChildren(QLabel)).strip())
        line = dialog.findChild(QLineEdit)
        if text and line is not None:
            QTest.keyClicks(line, text)
        if shot:
            day.shot(shot)
        found = [b for b in dialog.findChildren(QAbstractButton) if b.text() == button]
        assert found, f"no button {button!r} in the question {asked[-1]!r}"
        found[0].click()

    timer = QTimer()
    timer.setInterval(100)
    timer.timeout.connect(look)
    timer.start()
    day.timers.append(timer)
    return asked


def save_as_next(path: Path) -> None:
    """Answer the next file dialog with `path`, as a person typing the name and pressing Save."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            return
        timer.stop()
        name = dialog.findChild(QLineEdit, "fileNameEdit")  # Qt's own dialog: its name line
        if name is not None:
            name.setText(str(path))
        else:
            dialog.selectFile(str(path))
        dialog.accept()

    timer = QTimer(QApplication.instance())
    timer.setInterval(100)
    timer.timeout.connect(look)
    timer.start()


def until(condition: Callable[[], object], what: str, seconds: float = 30.0) -> None:
    def holds() -> object:
        return condition()

    holds.__doc__ = what
    try:
        wait(holds, seconds)
    except SystemExit:  # the screen as it was, to see why
        screen = QApplication.primaryScreen()
        screen.grabWindow(0).save(
            str(Path(QApplication.instance().property("shots")) / "timeout.png")
        )
        raise


def visible_texts(widget: QWidget) -> list[str]:
    """Every text a visible label, line or button of `widget` shows."""
    texts = [w.text() for w in widget.findChildren(QLabel) if w.isVisible()]
    texts += [w.text() for w in widget.findChildren(QLineEdit) if w.isVisible()]
    texts += [w.text() for w in widget.findChildren(QAbstractButton) if w.isVisible()]
    return texts
