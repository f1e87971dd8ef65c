"""A lost connection shows "Reconnecting…" and the window recovers by itself when the server is back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from backoffice.services.login import ServerProfile, open_session
from backoffice.ui import connection_monitor
from backoffice.ui.main_window import MainWindow
from tests.tcp_proxy import CuttableProxy


@pytest.fixture
def proxy(demo_database):
    proxy = CuttableProxy(demo_database.owner_url)
    yield proxy
    proxy.close()


@pytest.mark.timeout(120)
def test_a_lost_connection_shows_reconnecting_and_the_window_recovers(
    qtbot, demo_database, proxy, tmp_path, monkeypatch
):
    monkeypatch.setattr(connection_monitor, "PING_INTERVAL_MS", 200)
    profile = ServerProfile(
        host="127.0.0.1",
        port=proxy.port,
        database=demo_database.owner_url.database,
        sslmode="disable",
    )
    session = open_session(profile, username="demo_admin", password="demo-admin-pass")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(session, settings=settings)
    qtbot.addWidget(window)
    window.show()
    try:
        window.show_page("bookings")
        table = window.pages["bookings"].table
        qtbot.waitUntil(lambda: table.model.rowCount() > 0, timeout=20_000)
        assert window.connection_state.text().startswith("Connected")

        proxy.cut()
        window.pages["bookings"].refresh()
        qtbot.waitUntil(
            lambda: window.connection_state.text().startswith("Reconnecting"), timeout=20_000
        )

        proxy.restore()
        qtbot.waitUntil(
            lambda: window.connection_state.text().startswith("Connected"), timeout=30_000
        )
        qtbot.waitUntil(
            lambda: table.model.rowCount() > 0 and not table.model.loading, timeout=20_000
        )
    finally:
        window.close()
        session.close()
