"""DecisionForm: the decision on a pending therapist application and the fields each decision needs.

Approve (optionally creating a back-office login), reject (a reason) or ask for information (what
the applicant must send). The form checks its own fields with the service's sentences; the panel
that holds it confirms with the person and calls the service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from backoffice.errors import ValidationError
from backoffice.services.login import TEMPORARY_PASSWORD_HOURS, check_login_name, check_password
from backoffice.services.therapists import (
    approve_application,
    reject_application,
    request_information,
)
from backoffice.ui.qt_helpers import named


class DecisionForm(QWidget):
    action_chosen = Signal(str)  # "approve", "reject" or "information"
    edited = Signal()  # the person typed or ticked something

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = named(
            QPlainTextEdit(),
            "application_message",
            maximumHeight=70,
            placeholderText="The reason (reject) or what the applicant must send",
            tabChangesFocus=True,
        )
        layout = QFormLayout(self)
        layout.addRow("Reason or message:", self.message)
        layout.addRow("Login:", self._login_row())
        layout.addRow(self._action_row())
        self._on_with_login_toggled(False)
        for signal in (
            self.message.textChanged,
            self.with_login.toggled,
            self.login_name.textEdited,
            self.password.textEdited,
        ):
            signal.connect(lambda *_args: self.edited.emit())

    def _login_row(self) -> QHBoxLayout:
        self.with_login = named(QCheckBox("Create a back-office login"), "application_with_login")
        self.login_name = named(
            QLineEdit(), "application_login_name", placeholderText="user name (optional)"
        )
        self.password = named(
            QLineEdit(), "application_password", placeholderText="temporary password"
        )
        self.password.setToolTip(
            f"Valid {TEMPORARY_PASSWORD_HOURS} hours: the therapist chooses their own at first login."
        )
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.with_login.toggled.connect(self._on_with_login_toggled)
        row = QHBoxLayout()
        for widget in (self.with_login, self.login_name, self.password):
            row.addWidget(widget)
        return row

    def _action_row(self) -> QHBoxLayout:
        self.buttons = {
            "approve": QPushButton("Approve…"),
            "reject": QPushButton("Reject…"),
            "information": QPushButton("Ask for information…"),
        }
        row = QHBoxLayout()
        row.addStretch(1)
        for name, button in self.buttons.items():
            named(button, f"application_{name}")
            button.clicked.connect(lambda _checked=False, n=name: self.action_chosen.emit(n))
            row.addWidget(button)
        return row

    def _on_with_login_toggled(self, checked: bool) -> None:
        self.login_name.setEnabled(checked)
        self.password.setEnabled(checked)

    def enable_actions(self, enabled: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(enabled)

    def problem(self, action: str) -> str | None:
        """The sentence that stops `action` before anything is sent, or None."""
        text = self.message.toPlainText().strip()
        if action == "reject" and not text:
            return "Give the reason for rejecting the application."
        if action == "information" and not text:
            return "Write what the applicant needs to send."
        if action == "approve" and self.with_login.isChecked():
            try:
                if self.login_name.text().strip():
                    check_login_name(self.login_name.text().strip())
                check_password(self.password.text())
            except ValidationError as error:
                return str(error)
        return None

    def question(self, action: str, applicant: str) -> str:
        """What the person confirms before `action` is taken on `applicant`'s application."""
        if action == "approve":
            login = self.login_name.text().strip()
            with_login = (
                f" and create the back-office login {login or 'chosen from their name'}"
                if self.with_login.isChecked()
                else ""
            )
            return f"Approve {applicant} as a therapist of the clinic{with_login}?"
        if action == "reject":
            return f"Reject {applicant}'s application? They are told the reason you wrote."
        return f"Ask {applicant} for more information? They are sent what you wrote."

    def decision(self, action: str) -> tuple[Callable[..., Any], dict[str, Any]]:
        """The service that takes `action` and its arguments from the form (but the application)."""
        text = self.message.toPlainText().strip()
        if action == "approve":
            login = self.with_login.isChecked()
            return approve_application, {
                "login_name": (self.login_name.text().strip() or None) if login else None,
                "login_password": self.password.text() if login else None,
            }
        if action == "reject":
            return reject_application, {"reason": text}
        return request_information, {"message": text}

    def clear(self) -> None:
        """Empty, as for a new applicant: no message, no login, no password."""
        self.message.clear()
        self.with_login.setChecked(False)
        self.login_name.clear()
        self.password.clear()
