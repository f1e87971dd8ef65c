"""Where the login window connects: the demo on this computer, or a clinic server's host, port,
database and TLS mode; kept in QSettings with the last user name (never a password)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from backoffice.config import DEFAULT_POOL_SIZE
from backoffice.services.login import SSL_MODES, ServerProfile
from backoffice.ui.qt_helpers import named

DEMO_CHOICE, SERVER_CHOICE = "demo", "server"


class ServerFields:
    def __init__(self, demo: ServerProfile | None) -> None:
        self.demo = demo
        self.where = named(QComboBox(), "where")
        if demo is not None:
            self.where.addItem("The demo clinic on this computer", DEMO_CHOICE)
        self.where.addItem("A clinic server", SERVER_CHOICE)
        self.host = named(QLineEdit(), "host", placeholderText="db.clinic.example")
        self.port = named(QSpinBox(), "port", minimum=1, maximum=65535, value=5432)
        self.database = named(QLineEdit("clinic"), "database")
        self.sslmode = named(QComboBox(), "sslmode")
        self.sslmode.addItems(list(SSL_MODES))
        self.sslmode.setCurrentText("prefer")
        self.read_server = named(
            QLineEdit(),
            "read_server",
            placeholderText="none (optional: host or host:port)",
            toolTip="The clinic's hot standby, if it has one: long reports and the dashboard "
            "read there and every change goes to the server above. Ask your IT person.",
        )
        self.rows: list[tuple[str, QWidget]] = [
            ("Server:", self.host),
            ("Port:", self.port),
            ("Database:", self.database),
            ("TLS:", self.sslmode),
            ("Read-only server:", self.read_server),
        ]
        # No field: kept from QSettings (login/pool_size), for the IT person to set.
        self.pool_size = DEFAULT_POOL_SIZE

    def is_server(self) -> bool:
        return self.where.currentData() == SERVER_CHOICE

    def profile(self) -> ServerProfile:
        if self.where.currentData() == DEMO_CHOICE and self.demo is not None:
            return self.demo
        return ServerProfile(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            sslmode=self.sslmode.currentText(),
            read_server=self.read_server.text().strip(),
            pool_size=self.pool_size,
        )

    def restore(self, s: QSettings) -> str:
        """The last choices; returns the last user name."""
        where = s.value("login/where", DEMO_CHOICE if self.demo else SERVER_CHOICE)
        self.where.setCurrentIndex(max(self.where.findData(where), 0))
        self.host.setText(str(s.value("login/host", "")))
        self.port.setValue(int(str(s.value("login/port", 5432))))
        self.database.setText(str(s.value("login/database", "clinic")))
        self.sslmode.setCurrentText(str(s.value("login/sslmode", "prefer")))
        self.read_server.setText(str(s.value("login/read_server", "")))
        self.pool_size = _positive(s.value("login/pool_size"), DEFAULT_POOL_SIZE)
        return str(s.value("login/username", ""))


def save_login(s: QSettings, profile: ServerProfile, username: str) -> None:
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
