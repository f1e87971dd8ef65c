"""Lock the session after an idle time: the window is covered and asks for the password again.

The open page and its state stay as they were; only the person's password unlocks it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.login import StaffSession, confirm_password
from backoffice.ui.qt_helpers import named
from backoffice.ui.tasks import run_op, user_message

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class IdleLock(QObject):
    def __init__(self, window: QWidget, session: StaffSession, *, minutes: int) -> None:
        super().__init__(window)
        self._window, self._session = window, session
        self.dialog: LockDialog | None = None
        self.timer = QTimer(self, singleShot=True, interval=max(minutes, 1) * 60_000)
        self.timer.timeout.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def set_interval_ms(self, milliseconds: int) -> None:
        self.timer.setInterval(milliseconds)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self.dialog is None:
            self.timer.start()
        return False

    def lock(self) -> None:
        if self.dialog is not None:
            return
        self.timer.stop()
        self.dialog = LockDialog(self._window, self._session)
        self.dialog.finished.connect(self._on_dialog_finished)
        self.dialog.open()

    def is_locked(self) -> bool:
        return self.dialog is not None

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _on_dialog_finished(self, _result: int) -> None:
        self.dialog = None
        self.timer.start()


class LockDialog(QDialog):
    """Modal over the main window; closing it any other way than with the password is refused."""

    def __init__(self, parent: QWidget, session: StaffSession) -> None:
        super().__init__(parent)
        self.setObjectName("lock_dialog")
        self.setWindowTitle("Session locked")
        self.setModal(True)
        self._session = session
        self.password = named(QLineEdit(), "password", echoMode=QLineEdit.EchoMode.Password)
        self.message = named(QLabel(), "message", wordWrap=True)
        self.unlock_button = named(QPushButton("Unlock"), "unlock", default=True)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        layout = QVBoxLayout(self)
        who = session.actor
        layout.addWidget(
            QLabel(
                f"The session of {who.display_name} ({who.login_role}) is locked."
                " Enter your password to go on where you were."
            )
        )
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addWidget(self.unlock_button)

    def reject(self) -> None:  # Escape must not unlock
        pass

    def _on_unlock_clicked(self) -> None:
        password = self.password.text()
        self.unlock_button.setEnabled(False)
        self.message.setText("Checking…")
        run_op(
            lambda: confirm_password(self._session, password=password),
            on_success=lambda _: self.accept(),
            on_failure=self._on_failed,
            context=self,
        )

    def _on_failed(self, error: BaseException) -> None:
        self.unlock_button.setEnabled(True)
        self.message.setText(user_message(error))
        self.password.clear()
