"""The login window: which clinic server (or the demo), user name, password, remember password.

The connection and the keyring are used on worker threads; the window stays responsive and shows
each failure as one sentence. Remembered passwords go to the OS keyring only; QSettings keeps the
last server and user name, never a secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from backoffice.config import DEFAULT_POOL_SIZE
from backoffice.credentials import CredentialStore
from backoffice.errors import PasswordChangeRequired
from backoffice.services.login import SSL_MODES, ServerProfile
from backoffice.ui.dialogs.set_password_dialog import SetPasswordDialog
from backoffice.ui.offline_login import attach_offline, suggest_offline
from backoffice.ui.qt_helpers import named
from backoffice.ui.tasks import run_op

if TYPE_CHECKING:
    from backoffice.services.login import StaffSession

DEMO_CHOICE, SERVER_CHOICE = "demo", "server"


class _Attempt(NamedTuple):
    profile: ServerProfile
    username: str
    password: str
    remember: bool


_NOT_CHANGED = "Your password was not changed: you can log in once you have chosen your own."


class LoginWindow(QDialog):
    logged_in = Signal(object)  # StaffSession

    def __init__(
        self,
        *,
        settings: QSettings,
        credentials: CredentialStore,
        demo: ServerProfile | None = None,
        demo_hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clinic back-office: log in")
        self.setObjectName("login_window")
        self._settings, self._credentials, self._demo = settings, credentials, demo
        self._keyring_notice_shown = False
        self._read_server, self._pool_size = "", DEFAULT_POOL_SIZE
        self.password_dialog: SetPasswordDialog | None = None
        self._build(demo_hint)
        self._restore()
        self._on_where_changed()
        self._recall_password()

    # --- layout -------------------------------------------------------------------------
    def _build(self, demo_hint: str) -> None:
        self._build_server_fields()
        self.username = named(QLineEdit(), "username")
        self.password = named(QLineEdit(), "password", echoMode=QLineEdit.EchoMode.Password)
        self.remember = named(QCheckBox("Remember my password on this computer"), "remember")
        self.message = named(QLabel(), "message", wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice = named(QLabel(), "notice", wordWrap=True)
        self.notice.hide()
        self.hint = named(QLabel(demo_hint), "hint", wordWrap=True)
        form = QFormLayout()
        form.addRow("Connect to", self.where)
        form.addRow(self.server_form)
        form.addRow("User name", self.username)
        form.addRow("Password", self.password)
        form.addRow("", self.remember)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Clinic back-office</h2>"))
        layout.addLayout(form)
        for widget in (self.hint, self.notice, self.message, self._button_box()):
            layout.addWidget(widget)
        self.where.currentIndexChanged.connect(self._on_where_changed)
        self.username.editingFinished.connect(self._recall_password)
        self.setMinimumWidth(460)

    def _build_server_fields(self) -> None:
        """Where to connect: the demo, or a server's host, port, database and TLS mode."""
        self.where = named(QComboBox(), "where")
        if self._demo is not None:
            self.where.addItem("The demo clinic on this computer", DEMO_CHOICE)
        self.where.addItem("A clinic server", SERVER_CHOICE)
        self.host = named(QLineEdit(), "host", placeholderText="db.clinic.example")
        self.port = named(QSpinBox(), "port", minimum=1, maximum=65535, value=5432)
        self.database = named(QLineEdit("clinic"), "database")
        self.sslmode = named(QComboBox(), "sslmode")
        self.sslmode.addItems(list(SSL_MODES))
        self.sslmode.setCurrentText("prefer")
        self.server_form = QFormLayout()
        for label, widget in (
            ("Server", self.host),
            ("Port", self.port),
            ("Database", self.database),
            ("TLS", self.sslmode),
        ):
            self.server_form.addRow(label, widget)

    def _button_box(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText("Log in")
        self.buttons.accepted.connect(self._on_login_clicked)
        self.buttons.rejected.connect(self.reject)
        return attach_offline(self)  # "Work offline" and "Wipe the copy" beside them

    # --- what the person chose --------------------------------------------------------
    def profile(self) -> ServerProfile:
        if self.where.currentData() == DEMO_CHOICE and self._demo is not None:
            return self._demo
        return ServerProfile(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            sslmode=self.sslmode.currentText(),
            # No field yet: kept from QSettings (login/read_server, login/pool_size).
            read_server=self._read_server,
            pool_size=self._pool_size,
        )

    def _on_where_changed(self) -> None:
        is_server = self.where.currentData() == SERVER_CHOICE
        for widget in (self.host, self.port, self.database, self.sslmode):
            widget.setEnabled(is_server)
        self.hint.setVisible(not is_server and bool(self.hint.text()))
        self._recall_password()

    # --- logging in ---------------------------------------------------------------------
    def _on_login_clicked(self) -> None:
        profile = self.profile()
        if self.where.currentData() == SERVER_CHOICE and not (profile.host and profile.database):
            self._show_status("Enter the server's name and the database.", error=True)
            return
        username, password = self.username.text().strip(), self.password.text()
        attempt = _Attempt(profile, username, password, self.remember.isChecked())
        self._set_busy(True)
        self._show_status("Connecting…")
        run_op(
            lambda: self._login(attempt),
            on_success=self._on_logged_in,
            on_failure=lambda error: self._on_login_failed(error, attempt),
            context=self,
        )

    def _login(self, attempt: _Attempt, temporary: str | None = None) -> StaffSession:
        """Sign in; with `temporary`, first replace that password given by an admin."""
        # Imported here, on the worker: SQLAlchemy and the services load while the window is up.
        from backoffice.services.login import open_session, set_own_password

        profile, username, password, remember = attempt
        if temporary is None:
            session = open_session(profile, username=username, password=password)
        else:
            session = set_own_password(
                profile, username=username, temporary_password=temporary, new_password=password
            )
        if remember:
            self._credentials.remember(profile.key, username, password)
        else:
            self._credentials.forget(profile.key, username)
        return session

    def _on_logged_in(self, session: StaffSession) -> None:
        self._save(session.profile, session.actor.login_role)
        self.password.clear()
        self._set_busy(False)
        self.message.clear()
        self._show_keyring_notice()
        self.logged_in.emit(session)
        self.accept()

    def _on_login_failed(self, error: BaseException, attempt: _Attempt | None = None) -> None:
        if isinstance(error, PasswordChangeRequired) and attempt is not None:
            self._ask_for_own_password(str(error), attempt)
            return
        self._set_busy(False)
        self._show_status(suggest_offline(self, error), error=True)
        self.password.setFocus()
        self.password.selectAll()

    # --- a password an admin gave: the person chooses their own before going on ---------
    def _ask_for_own_password(self, sentence: str, attempt: _Attempt) -> None:
        self._show_status(sentence)
        dialog = SetPasswordDialog(sentence, parent=self)
        dialog.accepted.connect(lambda: self._set_own_password(attempt, dialog.password()))
        dialog.rejected.connect(self._on_own_password_declined)
        self.password_dialog = dialog
        dialog.open()

    def _on_own_password_declined(self) -> None:
        self._set_busy(False)
        self._show_status(_NOT_CHANGED, error=True)

    def _set_own_password(self, attempt: _Attempt, new_password: str) -> None:
        self._show_status("Setting your password…")
        run_op(
            lambda: self._login(attempt._replace(password=new_password), attempt.password),
            on_success=self._on_logged_in,
            on_failure=self._on_login_failed,
            context=self,
        )

    def _show_status(self, sentence: str, *, error: bool = False) -> None:
        self.message.setProperty("error", error)
        self.message.setStyleSheet("color: #b00020;" if error else "")
        self.message.setText(sentence)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.where, self.username, self.password, self.remember, self.login_button):
            widget.setEnabled(not busy)
        if not busy:
            self._on_where_changed()

    # --- remembered passwords (keyring, on a worker: a keyring may ask D-Bus and wait) ----
    def _recall_password(self) -> None:
        username, profile = self.username.text().strip(), self.profile()
        if not username or self.password.text() or not (profile.host and profile.database):
            return
        key = profile.key
        run_op(
            lambda: self._credentials.recall(key, username),
            on_success=self._on_recalled,
            context=self,
        )

    def _on_recalled(self, password: str | None) -> None:
        if password and not self.password.text():
            self.password.setText(password)
            self.remember.setChecked(True)
        self._show_keyring_notice()

    def _show_keyring_notice(self) -> None:
        availability = self._credentials.availability()
        if availability.available or self._keyring_notice_shown:
            return
        self._keyring_notice_shown = True
        self.notice.setText(availability.message or "")
        self.notice.show()
        self.remember.setChecked(False)
        self.remember.setEnabled(False)

    # --- QSettings: last server and user name, never a password -----------------------
    def _restore(self) -> None:
        s = self._settings
        where = s.value("login/where", DEMO_CHOICE if self._demo else SERVER_CHOICE)
        index = self.where.findData(where)
        self.where.setCurrentIndex(max(index, 0))
        self.host.setText(str(s.value("login/host", "")))
        self.port.setValue(int(str(s.value("login/port", 5432))))
        self.database.setText(str(s.value("login/database", "clinic")))
        self.sslmode.setCurrentText(str(s.value("login/sslmode", "prefer")))
        self.username.setText(str(s.value("login/username", "")))
        self._read_server = str(s.value("login/read_server", ""))
        self._pool_size = _positive(s.value("login/pool_size"), DEFAULT_POOL_SIZE)

    def _save(self, profile: ServerProfile, username: str) -> None:
        s = self._settings
        s.setValue("login/where", DEMO_CHOICE if profile.is_demo else SERVER_CHOICE)
        if not profile.is_demo:
            s.setValue("login/host", profile.host)
            s.setValue("login/port", profile.port)
            s.setValue("login/database", profile.database)
            s.setValue("login/sslmode", profile.sslmode)
            s.setValue("login/read_server", profile.read_server)
            s.setValue("login/pool_size", profile.pool_size)
        s.setValue("login/username", username)
        s.sync()


def _positive(value: object, default: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    return number if number > 0 else default
