"""The Help menu: the user guide of the person's role (also shown once, on their first login on
this computer) and About (version, licence, support contact)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from backoffice import about
from backoffice.resources import guide_path
from backoffice.services.permissions import Actor
from backoffice.ui.qt_helpers import named
from backoffice.ui.theme import app_icon

SEEN_KEY = "guide/seen/{login}"


def guide_markdown(role: str) -> str:
    """The guide's text, or one sentence saying where it should have been."""
    try:
        return guide_path(role).read_text(encoding="utf-8")
    except FileNotFoundError as missing:
        return f"# User guide\n\n{missing} Write to {about.SUPPORT_CONTACT}."


class GuideDialog(QDialog):
    """The guide, to read beside the window (not modal); Escape or Close puts it away."""

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guide_dialog")
        self.setWindowTitle(f"User guide for {about.ROLES_GUIDES.get(role, role)}")
        self.text = named(QTextBrowser(), "guide_text", openExternalLinks=True)
        self.text.setMarkdown(guide_markdown(role))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(640, 720)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(f"About the {about.APPLICATION.lower()}")
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        self.body = named(QLabel(self._text()), "about_text", wordWrap=True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setOpenExternalLinks(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.body)
        layout.addWidget(buttons)
        self.setFixedWidth(460)

    @staticmethod
    def _text() -> str:
        mail = about.SUPPORT_CONTACT
        return (
            f"<h3>{about.APPLICATION} {about.VERSION}</h3>"
            "<p>Approvals, transfers, refunds, note review and reports over the clinic's own "
            "PostgreSQL database.</p>"
            f"<p><b>Licence.</b> {about.LICENCE}</p>"
            f'<p><b>Support.</b> <a href="mailto:{mail}">{mail}</a>; say which version you '
            "run (above) and what you were doing.</p>"
        )


class HelpMenu(QObject):
    def __init__(self, window: QWidget, actor: Actor, settings: QSettings) -> None:
        super().__init__(window)
        self._window, self._actor, self._settings = window, actor, settings
        self.guide: GuideDialog | None = None
        self.menu = QMenu("&Help", window)
        guide = QAction(
            "User guide", self, shortcut=QKeySequence(QKeySequence.StandardKey.HelpContents)
        )
        guide.triggered.connect(self.show_guide)
        about_action = QAction(f"About the {about.APPLICATION.lower()}", self)
        about_action.triggered.connect(lambda: AboutDialog(self._window).exec())
        self.menu.addAction(guide)
        self.menu.addAction(about_action)

    def show_guide(self) -> GuideDialog:
        if self.guide is None:
            self.guide = GuideDialog(self._actor.role.value, self._window)
        self.guide.show()
        self.guide.raise_()
        return self.guide

    def show_guide_on_first_login(self) -> bool:
        """The guide, the first time this person logs in on this computer; True if it was shown."""
        key = SEEN_KEY.format(login=self._actor.login_role)
        if self._settings.value(key, False, type=bool):
            return False
        self._settings.setValue(key, True)
        self._settings.sync()
        self.show_guide()
        return True
