"""Log out, optionally forgetting the password remembered in the OS keyring."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from backoffice.ui.qt_helpers import named


class LogoutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Log out")
        self.forget = named(
            QCheckBox("Also forget my remembered password on this computer"), "forget"
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Log out")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Log out of the clinic back-office?"))
        layout.addWidget(self.forget)
        layout.addWidget(buttons)

    def forget_password(self) -> bool:
        return self.forget.isChecked()
