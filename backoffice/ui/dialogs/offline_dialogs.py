"""The questions asked around an offline copy: the password that protects it, and whether to wipe it
or discard a draft (anything written on this computer and not yet synced is lost for good)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.offline import CopyInfo
from backoffice.ui.qt_helpers import named

Button = QMessageBox.StandardButton


def confirm_discard(parent: QWidget) -> bool:
    answer = QMessageBox.question(
        parent,
        "Discard the draft",
        "Discard this draft? It is only on this computer: once discarded it is gone.",
        Button.Discard | Button.Cancel,
        Button.Cancel,
    )
    return answer == Button.Discard


def wipe_question(info: CopyInfo, *, logging_out: bool) -> str:
    """What wiping the copy means, drafts included."""
    first = (
        "Logging out wipes the offline copy of your caseload from this computer."
        if logging_out
        else "Wipe the offline copy of your caseload from this computer?"
    )
    if not info.drafts_pending:
        return first
    return (
        f"{first} It holds {info.drafts_pending} draft(s) not yet synced: they will be lost. "
        "Sync first to keep them."
    )


def confirm_wipe(parent: QWidget, info: CopyInfo, *, logging_out: bool = False) -> bool:
    answer = QMessageBox.warning(
        parent,
        "Log out" if logging_out else "Wipe the offline copy",
        wipe_question(info, logging_out=logging_out),
        Button.Yes | Button.Cancel,
        Button.Cancel,
    )
    return answer == Button.Yes


class OfflinePasswordDialog(QDialog):
    """The login's password, which protects the copy (with this computer's keyring)."""

    def __init__(
        self, parent: QWidget, *, title: str, explanation: str, remembered: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("offline_password_dialog")
        self.setWindowTitle(title)
        self.password = named(QLineEdit(), "password", echoMode=QLineEdit.EchoMode.Password)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(explanation, wordWrap=True))
        layout.addWidget(self.password)
        if remembered:
            note = QLabel(
                "Your password is remembered in this computer's keyring, beside the copy's key: "
                "anyone who opens the keyring can open the copy. Forget the password (Log out…) "
                "for a copy that needs you to type it.",
                wordWrap=True,
            )
            layout.addWidget(named(note, "remembered_notice"))
        ok, cancel = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok | cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def typed(self) -> str:
        return self.password.text()
