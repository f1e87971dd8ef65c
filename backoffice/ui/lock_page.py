"""LockPage: what a locked window shows instead of its content: who may unlock it, and a password.

Nothing of the clinic is on it: no page, no client, no figure. The password is checked on a worker
(`services.login.unlock_session`), and a wrong one is in the audit log at once.
"""

from __future__ import annotations

import platform

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from backoffice.errors import CredentialsRefused
from backoffice.services.login import StaffSession, unlock_session
from backoffice.ui.qt_helpers import named
from backoffice.ui.tasks import run_op, user_message
from backoffice.ui.theme import app_icon
from backoffice.ui.widgets.figure_tile import scaled_font
from backoffice.ui.widgets.message_area import MessageArea

WRONG_PASSWORD = "That is not your password; try again. (Wrong passwords are recorded.)"


class LockPage(QWidget):
    unlocked = Signal()

    def __init__(self, session: StaffSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lock_page")
        self._session = session
        self._checking = False
        self.password = named(QLineEdit(), "lock_password", echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Your password")
        self.password.returnPressed.connect(self._on_unlock_clicked)
        self.unlock_button = named(QPushButton("Unlock"), "unlock")
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.message = MessageArea("lock_message")
        self.message.clear_error_on(self.password.textEdited)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(self._box(), 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def _box(self) -> QFrame:
        who = self._session.actor
        box = named(QFrame(), "lock_box", frameShape=QFrame.Shape.StyledPanel)
        box.setFixedWidth(420)
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(48, 48))
        title = QLabel("The back-office is locked")
        title.setFont(scaled_font(self, 1.4, bold=True))
        who_line = named(
            QLabel(f"Only {who.signature} can unlock it, with their password."),
            "lock_who",
            wordWrap=True,
        )
        layout = QVBoxLayout(box)
        layout.setContentsMargins(24, 20, 24, 20)
        for widget in (icon, title, who_line, self.password, self.message, self.unlock_button):
            layout.addWidget(widget)
        return box

    def begin(self) -> None:
        """Shown: an empty password field with the focus, no old message."""
        self.password.clear()
        self.message.clear()
        self.password.setFocus()

    def is_checking(self) -> bool:
        return self._checking

    def _on_unlock_clicked(self) -> None:
        if self._checking:
            return
        password, session = self.password.text(), self._session
        self._set_checking(True)
        self.message.show_info("Checking your password…")
        run_op(
            lambda: unlock_session(session, password=password, workstation=platform.node()),
            on_success=self._on_unlocked,
            on_failure=self._on_refused,
            context=self,
        )

    def _on_unlocked(self, _result: object) -> None:
        self._set_checking(False)
        self.password.clear()
        self.message.clear()
        self.unlocked.emit()

    def _on_refused(self, error: BaseException) -> None:
        self._set_checking(False)
        self.password.clear()
        wrong = isinstance(error, CredentialsRefused)
        self.message.show_error(WRONG_PASSWORD if wrong else user_message(error))
        self.password.setFocus()

    def _set_checking(self, checking: bool) -> None:
        self._checking = checking
        self.password.setEnabled(not checking)
        self.unlock_button.setEnabled(not checking)
