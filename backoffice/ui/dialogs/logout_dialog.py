"""Log out, optionally forgetting the password remembered in the OS keyring."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QVBoxLayout, QWidget

from backoffice.ui.dialogs.questions import action_buttons
from backoffice.ui.qt_helpers import named


class LogoutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Log out")
        self.forget = named(
            QCheckBox("Also forget my remembered password on this computer"), "forget"
        )
        buttons, self.log_out = action_buttons(self, "Log out", self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Log out of the clinic back-office?"))
        layout.addWidget(self.forget)
        layout.addWidget(buttons)

    def forget_password(self) -> bool:
        return self.forget.isChecked()
