"""Log out, optionally forgetting the password remembered in the OS keyring and wiping the offline
copy of the caseload kept on this computer (asked again when it holds drafts not yet synced)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QVBoxLayout, QWidget

from backoffice.services.offline import CopyInfo
from backoffice.ui.dialogs.offline_dialogs import confirm_wipe
from backoffice.ui.dialogs.questions import action_buttons
from backoffice.ui.qt_helpers import named


class LogoutDialog(QDialog):
    def __init__(
        self, parent: QWidget | None = None, *, offline_copy: CopyInfo | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Log out")
        self._copy = offline_copy
        self.forget = named(
            QCheckBox("Also forget my remembered password on this computer"), "forget"
        )
        self.wipe = named(
            QCheckBox("Also wipe the offline copy of my caseload from this computer"), "wipe"
        )
        self.wipe.setChecked(True)
        self.wipe.setVisible(offline_copy is not None)
        buttons, self.log_out = action_buttons(self, "Log out", self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Log out of the clinic back-office?"))
        layout.addWidget(self.forget)
        layout.addWidget(self.wipe)
        layout.addWidget(buttons)

    def accept(self) -> None:
        copy = self._copy if self.wipe_offline_copy() else None
        if (
            copy is not None
            and copy.drafts_pending
            and not confirm_wipe(self, copy, logging_out=True)
        ):
            return
        super().accept()

    def forget_password(self) -> bool:
        return self.forget.isChecked()

    def wipe_offline_copy(self) -> bool:
        return self._copy is not None and self.wipe.isChecked()
