"""SetPasswordDialog: at the first login with a password an admin gave, the person chooses their own."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from backoffice.services.login import MIN_PASSWORD_LENGTH
from backoffice.ui.dialogs.questions import action_buttons
from backoffice.ui.qt_helpers import named
from backoffice.ui.widgets.message_area import MessageArea


class SetPasswordDialog(QDialog):
    """Two fields for the new password; `password()` once accepted. Checked here, on the GUI thread,
    only for what needs no database (length, the two agree); the server decides the rest."""

    def __init__(self, sentence: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose your password")
        self.setObjectName("set_password_dialog")
        self.new = named(QLineEdit(), "new_password", echoMode=QLineEdit.EchoMode.Password)
        self.again = named(QLineEdit(), "new_password_again", echoMode=QLineEdit.EchoMode.Password)
        self.problem = MessageArea("set_password_problem")
        self.problem.clear_error_on(self.new.textEdited, self.again.textEdited)
        # Enter is "Set my password" (checked first), never Cancel; Escape cancels.
        buttons, self.ok_button = action_buttons(self, "Set my password", self._on_ok_clicked)
        form = QFormLayout()
        form.addRow("New password:", self.new)
        form.addRow("Once more:", self.again)
        layout = QVBoxLayout(self)
        self.reason = named(QLabel(sentence), "set_password_reason", wordWrap=True)
        layout.addWidget(self.reason)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def password(self) -> str:
        return self.new.text()

    def _on_ok_clicked(self) -> None:
        if len(self.new.text()) < MIN_PASSWORD_LENGTH:
            self.problem.show_error(
                f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
            )
        elif self.new.text() != self.again.text():
            self.problem.show_error("The two passwords differ.")
        else:
            self.accept()
