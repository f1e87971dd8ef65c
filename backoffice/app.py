"""The application entry point: wires Qt, the keyring, the login window and the main window together."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QApplication

from backoffice.credentials import CredentialStore
from backoffice.services.login import ServerProfile
from backoffice.ui.gui_thread_gc import collect_on_gui_thread
from backoffice.ui.login_window import LoginWindow
from backoffice.ui.offline_login import offline_login_of
from backoffice.ui.tasks import run_op
from backoffice.ui.theme import app_icon
from backoffice.ui.widgets.demo_logins import DemoLogin

if TYPE_CHECKING:
    from backoffice.demo.build import DemoClinic
    from backoffice.services.login import StaffSession
    from backoffice.ui.main_window import MainWindow
    from backoffice.ui.offline_session import OfflineSession
    from backoffice.ui.offline_window import OfflineWindow

ORGANISATION = "clinic-backoffice"
APPLICATION = "Clinic back-office"


class Application(QObject):
    """Login → main window → log out → login, for as long as the process runs."""

    def __init__(
        self,
        *,
        settings: QSettings,
        credentials: CredentialStore,
        demo: ServerProfile | None = None,
        demo_logins: Sequence[DemoLogin] = (),
    ) -> None:
        super().__init__()
        self.settings, self.credentials = settings, credentials
        self.demo, self.demo_logins = demo, tuple(demo_logins)
        self.login_window: LoginWindow | None = None
        self.main_window: MainWindow | None = None
        self.offline_window: OfflineWindow | None = None

    def show_login(self) -> LoginWindow:
        window = LoginWindow(
            settings=self.settings,
            credentials=self.credentials,
            demo=self.demo,
            demo_logins=self.demo_logins,
        )
        window.logged_in.connect(self._on_logged_in)
        offline_login_of(window).opened.connect(self._on_offline_opened)
        window.show()
        self.login_window = window
        run_op(_load_services_in_the_background)
        return window

    def _on_logged_in(self, session: StaffSession) -> None:
        from backoffice.ui.main_window import MainWindow

        idle = int(str(self.settings.value("session/idle_lock_minutes", 15)))
        window = MainWindow(session, settings=self.settings, idle_minutes=idle)
        window.logout_requested.connect(self._on_logout_requested)
        window.show()
        window.help.show_guide_on_first_login()
        self.main_window = window
        self.login_window = None

    def _on_offline_opened(self, session: OfflineSession) -> None:
        from backoffice.ui.offline_window import OfflineWindow

        window = OfflineWindow(session, settings=self.settings)
        window.logout_requested.connect(self._on_offline_logout_requested)
        window.show()
        self.offline_window = window
        self.login_window = None

    def _on_offline_logout_requested(self) -> None:
        window = self.offline_window
        if window is not None:
            window.close()
            window.deleteLater()
        self.offline_window = None
        self.show_login()

    def _on_logout_requested(self, forget_password: bool) -> None:
        window = self.main_window
        if window is None:
            return
        session = window.session
        window.close()
        window.deleteLater()
        self.main_window = None
        key, user = session.profile.key, session.actor.login_role

        def end_session() -> None:
            session.close()
            if forget_password:
                self.credentials.forget(key, user)

        run_op(end_session)
        self.show_login()


def _load_services_in_the_background() -> None:
    """Import SQLAlchemy and the Qt-free services while the person types their password, so that
    the login window paints first and logging in does not wait for imports."""
    from backoffice.services.login import open_session  # noqa: F401  (loads the SQLAlchemy half)


def demo_profile(demo: DemoClinic) -> tuple[ServerProfile, tuple[DemoLogin, ...]]:
    """The demo's server, and its logins (user name, password, role) for the login window."""
    profile = ServerProfile(host=str(demo.socket_dir), port=None, database="clinic", is_demo=True)
    return profile, tuple((login.username, login.password, login.role) for login in demo.logins)


def qt_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setWindowIcon(app_icon())
    collect_on_gui_thread(app)
    return app


def run(demo: DemoClinic | None = None) -> int:
    """Open the login window and run the Qt event loop until the last window closes."""
    app = qt_application()
    profile, logins = demo_profile(demo) if demo else (None, ())
    controller = Application(
        settings=QSettings(), credentials=CredentialStore(), demo=profile, demo_logins=logins
    )
    controller.show_login()
    return int(app.exec())
