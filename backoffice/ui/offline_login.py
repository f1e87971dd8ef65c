"""The login window's "Work offline": offered when this login has a copy from this server on this
computer, suggested when the server cannot be reached, and "Wipe the copy" once it has expired.

The copy opens with the password typed and this computer's keyring (on a worker: scrypt and the
keyring take their time); every refusal is the service's one sentence. The offline services load on
first use, on a worker: the login window paints before SQLAlchemy is imported. The window gives
this its button box (`attach_offline`) and its failures (`suggest_offline`); the rest is wired here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from backoffice.errors import DatabaseUnavailable
from backoffice.ui.qt_helpers import named
from backoffice.ui.tasks import run_op, user_message
from backoffice.values import moment_text

if TYPE_CHECKING:
    from backoffice.services.login import ServerProfile
    from backoffice.services.offline import CopyInfo
    from backoffice.ui.offline_session import OfflineSession
    from backoffice.ui.widgets.message_area import MessageArea

Role = QDialogButtonBox.ButtonRole
NAME = "offline_login"


class LoginWindow(Protocol):
    """What this needs of the login window (`ui.login_window.LoginWindow`)."""

    buttons: QDialogButtonBox
    login_button: QPushButton
    where: QComboBox
    host: QLineEdit
    port: QSpinBox
    database: QLineEdit
    username: QLineEdit
    password: QLineEdit
    message: MessageArea

    def profile(self) -> ServerProfile: ...
    def accept(self) -> None: ...


def attach_offline(window: LoginWindow) -> QDialogButtonBox:
    """Add the offline buttons to the login window's button box; returns the box."""
    OfflineLogin(window)
    return window.buttons


def offline_login_of(window: QWidget) -> OfflineLogin:
    return cast(OfflineLogin, window.findChild(QObject, NAME))


def suggest_offline(window: QWidget, error: BaseException) -> str:
    """The login failure's sentence, with the copy suggested when the server is out of reach."""
    return offline_login_of(window).suggest(error)


class OfflineLogin(QObject):
    """The offline buttons of one login window, and opening the copy from there."""

    opened = Signal(object)  # OfflineSession: "Work offline" opened the copy

    def __init__(self, window: LoginWindow) -> None:
        super().__init__(window.buttons)
        self.setObjectName(NAME)
        self._window = window
        self.copy: CopyInfo | None = None
        self.work_offline = named(QPushButton("Work offline"), "work_offline")
        self.work_offline.setToolTip("Open the copy of your caseload kept on this computer")
        self.wipe = named(QPushButton("Wipe the copy"), "wipe_offline_copy")
        for button in (self.work_offline, self.wipe):
            window.buttons.addButton(button, Role.ActionRole)
            button.hide()
        self.work_offline.clicked.connect(self._on_work_offline_clicked)
        self.wipe.clicked.connect(self._on_wipe_clicked)
        for field in (window.username, window.host, window.port, window.database):
            field.editingFinished.connect(self.refresh)
        window.where.currentIndexChanged.connect(self.refresh)
        window.login_button.installEventFilter(self)  # busy logging in: these wait too
        QTimer.singleShot(0, self.refresh)  # once the window has restored the last user name

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window.login_button and event.type() == QEvent.Type.EnabledChange:
            self.set_enabled(self._window.login_button.isEnabled())
        return False

    def _who(self) -> tuple[ServerProfile, str, str]:
        window = self._window
        return window.profile(), window.username.text().strip(), window.password.text()

    def _status(self, sentence: str, error: bool) -> None:
        self._window.message.show_message(sentence, error)

    def _opened(self, session: OfflineSession) -> None:
        self._window.password.clear()
        self._window.message.clear()
        self.opened.emit(session)
        self._window.accept()

    def refresh(self) -> None:
        """Look for this login's copy from this server (on a worker: it reads the disk)."""
        profile, username, _ = self._who()
        if not username or not (profile.host and profile.database):
            self._found(None)
            return
        server = profile.key
        run_op(lambda: _copy_of(server, username), on_success=self._found, context=self)

    def _found(self, copy: CopyInfo | None) -> None:
        self.copy = copy
        self.work_offline.setVisible(copy is not None)
        self.wipe.hide()

    def suggest(self, error: BaseException) -> str:
        """The login failure's sentence, with the offline copy suggested when the server is out
        of reach and this login has one."""
        sentence = user_message(error)
        if self.copy is None or not isinstance(error, DatabaseUnavailable):
            return sentence
        from backoffice.services.clock import clinic_time_of

        self.work_offline.setDefault(True)
        return (
            f"{sentence} You can work offline with your copy from "
            f"{moment_text(clinic_time_of(self.copy.taken_at))}: press Work offline."
        )

    def set_enabled(self, enabled: bool) -> None:
        self.work_offline.setEnabled(enabled)
        self.wipe.setEnabled(enabled)

    def _on_work_offline_clicked(self) -> None:
        profile, username, password = self._who()
        self.set_enabled(False)
        self._status("Opening the offline copy…", False)
        run_op(
            lambda: _open(profile, username, password),
            on_success=self._on_opened,
            on_failure=self._on_refused,
            context=self,
        )

    def _on_opened(self, session: OfflineSession) -> None:
        self.set_enabled(True)
        self._opened(session)

    def _on_refused(self, error: BaseException) -> None:
        from backoffice.services.offline import CopyExpired

        self.set_enabled(True)
        self._status(user_message(error), True)
        self.wipe.setVisible(isinstance(error, CopyExpired))

    def _on_wipe_clicked(self) -> None:
        profile, username, _ = self._who()
        self.set_enabled(False)
        run_op(
            lambda: _wipe(profile, username),
            on_success=self._on_wiped,
            on_failure=self._on_refused,
            context=self,
        )

    def _on_wiped(self, note: str | None) -> None:
        self.set_enabled(True)
        self._found(None)
        self._status(note or "The offline copy is wiped from this computer.", False)


def _copy_of(server: str, login: str) -> CopyInfo | None:
    from backoffice.services.offline import list_copies

    return next((c for c in list_copies(login) if c.server == server), None)


def _open(profile: ServerProfile, login: str, password: str) -> OfflineSession:
    from backoffice.services.offline import open_copy
    from backoffice.ui.offline_session import OfflineSession

    copy = open_copy(server=profile.key, login=login, password=password)
    return OfflineSession(copy, profile, password)


def _wipe(profile: ServerProfile, login: str) -> str | None:
    from backoffice.services.offline import wipe_copy

    return wipe_copy(server=profile.key, login=login)
