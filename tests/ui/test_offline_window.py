"""Working offline, offscreen, on a private demo clinic behind a proxy the test cuts: the login
window suggests the copy when the server is out of reach, the offline window opens a chart from the
copy and saves a draft (nothing reaches the server), and a sync after reconnecting lands it once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QSettings

from backoffice.credentials import CredentialStore
from backoffice.services.login import ServerProfile, open_session
from backoffice.services.offline import checkout_caseload, list_copies
from backoffice.ui.login_window import SERVER_CHOICE, LoginWindow
from backoffice.ui.offline_login import offline_login_of
from backoffice.ui.offline_window import OfflineWindow
from tests.conftest import DEMO_PASSWORDS
from tests.integration.refund_fixtures import Clinic, clinic_fixture  # noqa: F401 (fixture)
from tests.integration.test_chart import OWN_CLIENT, PAST_BOOKING
from tests.integration.transfer_fixtures import OLD
from tests.tcp_proxy import CuttableProxy
from tests.ui.test_login_window import MemoryKeyring

WAIT = 30_000
LOGIN, PASSWORD = "demo_therapist", DEMO_PASSWORDS["demo_therapist"]
DRAFT = "Offline draft: posted the relaxation audio, she will try it nightly."
SHOTS = os.environ.get("BACKOFFICE_OFFLINE_SCREENSHOTS")  # a directory: save what the test shows


@pytest.fixture
def system_keyring() -> Iterator[MemoryKeyring]:
    """The keyring the application finds (`keyring.get_keyring()`), in memory for this test."""
    previous, backend = keyring.get_keyring(), MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def proxied(clinic: Clinic, tmp_path: Path, monkeypatch, system_keyring) -> Iterator:
    """The clinic behind a cuttable proxy, with demo_therapist's copy taken through it."""
    monkeypatch.setenv("BACKOFFICE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
    proxy = CuttableProxy(clinic.database.owner_url)
    profile = ServerProfile(
        host="127.0.0.1",
        port=proxy.port,
        database=clinic.database.owner_url.database or "",
        sslmode="disable",
    )
    online = open_session(profile, username=LOGIN, password=PASSWORD)
    try:
        checkout_caseload(online.unit_of_work, online.actor, password=PASSWORD, server=profile.key)
    finally:
        online.close()
    yield proxy, profile
    proxy.close()


def _shot(widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _log_in_offline(qtbot, profile: ServerProfile, settings: QSettings, keyring_backend):
    window = LoginWindow(settings=settings, credentials=CredentialStore(keyring_backend))
    qtbot.addWidget(window)
    window.show()
    offline = offline_login_of(window)
    window.where.setCurrentIndex(window.where.findData(SERVER_CHOICE))
    window.host.setText(profile.host)
    window.port.setValue(profile.port or 5432)
    window.database.setText(profile.database)
    window.sslmode.setCurrentText("disable")
    window.username.setText(LOGIN)
    window.username.editingFinished.emit()
    qtbot.waitUntil(lambda: offline.work_offline.isVisible(), timeout=WAIT)
    window.password.setText(PASSWORD)
    window.login_button.click()
    qtbot.waitUntil(lambda: "press Work offline" in window.message.text(), timeout=WAIT)
    _shot(window, "offline-login-suggested")
    with qtbot.waitSignal(offline.opened, timeout=WAIT) as opened:
        offline.work_offline.click()
    return opened.args[0]


@pytest.mark.timeout(180)
def test_offline_with_the_server_out_of_reach_then_sync_once_reconnected(
    qtbot, clinic, proxied, tmp_path, system_keyring
):
    proxy, profile = proxied
    client = clinic.value(OWN_CLIENT, OLD)
    booking = clinic.value(PAST_BOOKING, client, OLD)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    proxy.cut()

    session = _log_in_offline(qtbot, profile, settings, system_keyring)
    window = OfflineWindow(session, settings=settings)
    qtbot.addWidget(window)
    window.show()
    caseload = window.pages["caseload"]
    qtbot.waitUntil(lambda: caseload.model.rowCount() > 0, timeout=WAIT)  # type: ignore[attr-defined]
    assert window.copy_state.text().startswith("Offline · copy taken")
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&View"]
    _shot(window, "offline-caseload")

    chart = window.chart_page
    with qtbot.waitSignal(chart.chart_loaded, timeout=WAIT):
        window.open_chart(booking_id=booking)
    qtbot.waitUntil(lambda: not chart.is_busy(), timeout=WAIT)
    assert chart.chart is not None and chart.chart.client_id == client
    chart.additional.editor.setPlainText(DRAFT)
    chart.additional.save_button.click()
    qtbot.waitUntil(lambda: DRAFT in [d.text for d in chart.drafts.drafts], timeout=WAIT)
    assert "draft" in chart.additional.status.text()
    _shot(window, "offline-chart-draft")
    drafts = window.pages["drafts"]
    window.show_page("drafts")
    qtbot.waitUntil(lambda: drafts.model.rowCount() == 1, timeout=WAIT)  # type: ignore[attr-defined]
    _shot(window, "offline-drafts")
    assert (
        clinic.value("SELECT count(*) FROM client_additional_notes WHERE note_text = %s", DRAFT)
        == 0
    )

    proxy.restore()
    with qtbot.waitSignal(window.synced, timeout=WAIT) as synced:
        window.sync()
    qtbot.waitUntil(lambda: not chart.is_busy(), timeout=WAIT)
    assert [d.text for d in synced.args[0].uploaded] == [DRAFT]
    assert "1 draft(s) uploaded" in window.statusBar().currentMessage()
    assert (
        clinic.value("SELECT count(*) FROM client_additional_notes WHERE note_text = %s", DRAFT)
        == 1
    )
    assert clinic.value("SELECT count(*) FROM backoffice.offline_drafts") == 1
    [copy] = list_copies(LOGIN)
    assert copy.drafts_pending == 0
    window.close()
    settings.sync()
    name = clinic.value("SELECT client_name FROM all_clients_table WHERE client_id = %s", client)
    assert _files_holding(tmp_path, name.encode(), DRAFT.encode(), PASSWORD.encode()) == []


def _files_holding(folder: Path, *secrets: bytes) -> list[Path]:
    """Files under `folder` (the data directory, HOME, the window's settings) that hold any of
    `secrets` in the clear."""
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and any(s in path.read_bytes() for s in secrets)
    ]
