"""The login window: which clinic server (or the demo), user name, password, remember password.

The connection and the keyring are used on worker threads; the window stays responsive and shows
each failure as one sentence. Remembered passwords go to the OS keyring only; QSettings keeps the
last server and user name, never a secret. Whether the keyring works is asked at once, so "Remember
my password" is never offered where it cannot be kept. A refused password is kept on this
workstation (never the password itself) and put in the audit log by the next successful login.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from backoffice.credentials import Availability, CredentialStore
from backoffice.errors import CredentialsRefused, PasswordChangeRequired
from backoffice.services.login import FailedLogin, ServerProfile
from backoffice.ui.dialogs.set_password_dialog import SetPasswordDialog
from backoffice.ui.failed_logins import FailedLoginStore, report_failed_logins
from backoffice.ui.offline_login import attach_offline, suggest_offline
from backoffice.ui.qt_helpers import named
from backoffice.ui.tasks import run_op
from backoffice.ui.widgets.demo_logins import DemoLogin, DemoLogins
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.ui.widgets.server_fields import (
    SERVER_CHOICE,
    ServerFields,
    save_login,
)

if TYPE_CHECKING:
    from backoffice.services.login import StaffSession


class _Attempt(NamedTuple):
    profile: ServerProfile
    username: str
    password: str
    remember: bool
    failed: tuple[FailedLogin, ...]  # refused earlier on this workstation, to put on record


_NOT_CHANGED = "Your password was not changed: you can log in once you have chosen your own."


class LoginWindow(QDialog):
    logged_in = Signal(object)  # StaffSession

    def __init__(
        self,
        *,
        settings: QSettings,
        credentials: CredentialStore,
        demo: ServerProfile | None = None,
        demo_logins: Sequence[DemoLogin] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clinic back-office: log in")
        self.setObjectName("login_window")
        self._settings, self._credentials, self._demo = settings, credentials, demo
        self._failed = FailedLoginStore(settings)
        self.keyring = Availability(available=True)  # until the keyring says otherwise
        self.password_dialog: SetPasswordDialog | None = None
        self._build(demo_logins)
        self.username.setText(self.server.restore(settings))
        self._on_where_changed()
        (self.password if self.username.text() else self.username).setFocus()
        run_op(self._credentials.check, on_success=self._on_keyring_checked, context=self)

    # --- layout -------------------------------------------------------------------------
    def _build(self, demo_logins: Sequence[DemoLogin]) -> None:
        self.username = named(QLineEdit(), "username")
        self.password = named(QLineEdit(), "password", echoMode=QLineEdit.EchoMode.Password)
        self.remember = named(QCheckBox("Remember my password on this computer"), "remember")
        self.message = MessageArea("message")
        self.message.clear_error_on(self.username.textEdited, self.password.textEdited)
        self.notice = named(QLabel(), "notice", wordWrap=True)
        self.notice.hide()
        self.demo_logins = DemoLogins(demo_logins) if demo_logins else None
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)  # grows, never squashes
        layout.addWidget(QLabel("<h2>Clinic back-office</h2>"))
        layout.addLayout(self._form())
        for widget in (self.notice, self.message, self.demo_logins, self._button_box()):
            if widget is not None:
                layout.addWidget(widget)
        if self.demo_logins is not None:
            self.demo_logins.chosen.connect(self._on_demo_login_chosen)
        self.username.editingFinished.connect(self._recall_password)

    def _form(self) -> QFormLayout:
        """One form, so that every label lines up: where, then who."""
        self.server = ServerFields(self._demo)
        self.where, self.host, self.port = self.server.where, self.server.host, self.server.port
        self.database, self.sslmode = self.server.database, self.server.sslmode
        self.server_rows = self.server.rows
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.addRow("Connect to:", self.where)
        for label, widget in self.server_rows:
            self.form.addRow(label, widget)
        self.form.addRow("User name:", self.username)
        self.form.addRow("Password:", self.password)
        self.form.addRow("", self.remember)
        for field in (self.where, self.host, self.database, self.username, self.password):
            field.setMinimumWidth(300)
        self.where.currentIndexChanged.connect(self._on_where_changed)
        return self.form

    def _button_box(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText("Log in")
        self.login_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self._on_login_clicked)
        self.buttons.rejected.connect(self.reject)
        return attach_offline(self)  # "Work offline" and "Wipe the copy" beside them

    # --- what the person chose --------------------------------------------------------
    def profile(self) -> ServerProfile:
        return self.server.profile()

    def _on_where_changed(self) -> None:
        """A server's fields only when a server is chosen; the demo's logins only for the demo."""
        is_server = self.where.currentData() == SERVER_CHOICE
        for _label, widget in self.server_rows:
            self.form.setRowVisible(widget, is_server)
        if self.demo_logins is not None:
            self.demo_logins.setVisible(not is_server)
        self.message.clear_error()
        self._recall_password()

    def _on_demo_login_chosen(self, username: str, password: str) -> None:
        self.username.setText(username)
        self.password.setText(password)
        self.message.clear_error()
        self.login_button.setFocus()

    # --- logging in ---------------------------------------------------------------------
    def _on_login_clicked(self) -> None:
        profile = self.profile()
        if self.where.currentData() == SERVER_CHOICE and not (profile.host and profile.database):
            self.message.show_error("Enter the server's name and the database.")
            return
        username, password = self.username.text().strip(), self.password.text()
        remember = self.remember.isChecked() and self.keyring.available
        attempt = _Attempt(
            profile, username, password, remember, self._failed.for_server(profile.key)
        )
        self._set_busy(True)
        self.message.show_info("Connecting…")
        run_op(
            lambda: self._login(attempt),
            on_success=self._on_logged_in,
            on_failure=lambda error: self._on_login_failed(error, attempt),
            context=self,
        )

    def _login(self, attempt: _Attempt, temporary: str | None = None) -> tuple[StaffSession, bool]:
        """Sign in; with `temporary`, first replace that password given by an admin. Then put the
        refused passwords of this workstation on record (True when they are)."""
        # Imported here, on the worker: SQLAlchemy and the services load while the window is up.
        from backoffice.services.login import open_session, set_own_password

        profile, username, password, remember, failed = attempt
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
        return session, report_failed_logins(session, failed)

    def _on_logged_in(self, outcome: tuple[StaffSession, bool]) -> None:
        session, reported = outcome
        if reported:
            self._failed.forget(session.profile.key)
        save_login(self._settings, session.profile, session.actor.login_role)
        self.password.clear()
        self._set_busy(False)
        self.message.clear()
        self._on_keyring_checked(self._credentials.availability())
        self.logged_in.emit(session)
        self.accept()

    def _on_login_failed(self, error: BaseException, attempt: _Attempt) -> None:
        if isinstance(error, PasswordChangeRequired):
            self._ask_for_own_password(str(error), attempt)
            return
        if isinstance(error, CredentialsRefused) and attempt.username:
            self._failed.add(username=attempt.username, server=attempt.profile.key)
        self._set_busy(False)
        self.message.show_error(suggest_offline(self, error))
        self.password.setFocus()
        self.password.selectAll()

    # --- a password an admin gave: the person chooses their own before going on ---------
    def _ask_for_own_password(self, sentence: str, attempt: _Attempt) -> None:
        self.message.show_info(sentence)
        dialog = SetPasswordDialog(sentence, parent=self)
        dialog.accepted.connect(lambda: self._set_own_password(attempt, dialog.password()))
        dialog.rejected.connect(self._on_own_password_declined)
        self.password_dialog = dialog
        dialog.open()

    def _on_own_password_declined(self) -> None:
        self._set_busy(False)
        self.message.show_error(_NOT_CHANGED)

    def _set_own_password(self, attempt: _Attempt, new_password: str) -> None:
        self.message.show_info("Setting your password…")
        chosen = attempt._replace(password=new_password)
        run_op(
            lambda: self._login(chosen, attempt.password),
            on_success=self._on_logged_in,
            on_failure=lambda error: self._on_login_failed(error, chosen),
            context=self,
        )

    def _set_busy(self, busy: bool) -> None:
        fields: tuple[QWidget, ...] = (self.where, self.username, self.password, self.login_button)
        for widget in fields:
            widget.setEnabled(not busy)
        self.remember.setEnabled(not busy and self.keyring.available)
        for _label, widget in self.server_rows:
            widget.setEnabled(not busy)

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
        self._on_keyring_checked(self._credentials.availability())

    def _on_keyring_checked(self, availability: Availability) -> None:
        """No keyring: say so once, and never offer (or tick) "remember" again."""
        if availability.available or not self.keyring.available:
            return
        self.keyring = availability
        self.notice.setText(availability.message or "")
        self.notice.show()
        self.remember.setChecked(False)
        self.remember.setEnabled(False)
