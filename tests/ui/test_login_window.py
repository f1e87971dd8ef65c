"""The login window against the real tiny demo clinic, with an in-memory keyring."""

from __future__ import annotations

import keyring.backend
import pytest
from PySide6.QtCore import QSettings

from backoffice.credentials import CredentialStore
from backoffice.ui.login_window import LoginWindow
from backoffice.ui.widgets.server_fields import DEMO_CHOICE, SERVER_CHOICE, save_login


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        self.entries.pop((service, username), None)


class NoKeyring(MemoryKeyring):
    def get_password(self, service, username):
        raise keyring.errors.NoKeyringError("no backend")

    set_password = get_password  # type: ignore[assignment]


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def memory_keyring():
    return MemoryKeyring()


def _window(qtbot, demo_database, settings, backend):
    window = LoginWindow(
        settings=settings, credentials=CredentialStore(backend), demo=demo_database.profile()
    )
    qtbot.addWidget(window)
    return window


def _log_in(qtbot, window, username, password, *, remember=False):
    window.where.setCurrentIndex(window.where.findData(DEMO_CHOICE))
    window.username.setText(username)
    window.password.setText(password)
    window.remember.setChecked(remember)
    window.login_button.click()
    qtbot.waitUntil(lambda: window.login_button.isEnabled() or window.result() != 0, timeout=15_000)


def test_logging_in_emits_the_session_of_the_person_the_database_knows(
    qtbot, demo_database, settings, memory_keyring
):
    window = _window(qtbot, demo_database, settings, memory_keyring)
    with qtbot.waitSignal(window.logged_in, timeout=15_000) as signal:
        _log_in(qtbot, window, "demo_finance", "demo-finance-pass")
    session = signal.args[0]
    try:
        assert session.actor.login_role == "demo_finance"
        assert session.actor.role.value == "finance"
    finally:
        session.close()


@pytest.mark.parametrize(
    ("username", "password", "sentence"),
    [
        ("demo_admin", "wrong-password", "user name or password was not accepted"),
        ("", "whatever", "Enter your user name."),
        ("demo_admin", "", "Enter your password."),
    ],
)
def test_each_failure_shows_its_sentence_and_gives_the_controls_back(
    qtbot, demo_database, settings, memory_keyring, username, password, sentence
):
    window = _window(qtbot, demo_database, settings, memory_keyring)
    _log_in(qtbot, window, username, password)

    assert sentence in window.message.text()
    assert window.login_button.isEnabled()
    assert window.result() == 0


def test_a_server_entry_needs_a_host(qtbot, demo_database, settings, memory_keyring):
    window = _window(qtbot, demo_database, settings, memory_keyring)
    window.where.setCurrentIndex(window.where.findData(SERVER_CHOICE))
    window.host.clear()
    window.username.setText("demo_admin")
    window.password.setText("demo-admin-pass")
    window.login_button.click()

    assert "Enter the server's name" in window.message.text()


def test_remember_stores_the_password_in_the_keyring_only(
    qtbot, demo_database, settings, memory_keyring, tmp_path
):
    window = _window(qtbot, demo_database, settings, memory_keyring)
    with qtbot.waitSignal(window.logged_in, timeout=15_000) as signal:
        _log_in(qtbot, window, "demo_admin", "demo-admin-pass", remember=True)
    signal.args[0].close()

    assert list(memory_keyring.entries.values()) == ["demo-admin-pass"]
    settings.sync()
    settings_text = (tmp_path / "settings.ini").read_text()
    assert "demo_admin" in settings_text  # the user name is remembered...
    assert "demo-admin-pass" not in settings_text  # ...the password never


def test_a_remembered_password_is_filled_in_next_time_and_forgotten_when_unticked(
    qtbot, demo_database, settings, memory_keyring
):
    first = _window(qtbot, demo_database, settings, memory_keyring)
    with qtbot.waitSignal(first.logged_in, timeout=15_000) as signal:
        _log_in(qtbot, first, "demo_admin", "demo-admin-pass", remember=True)
    signal.args[0].close()

    second = _window(qtbot, demo_database, settings, memory_keyring)
    qtbot.waitUntil(lambda: second.password.text() == "demo-admin-pass", timeout=5_000)
    assert second.remember.isChecked()
    with qtbot.waitSignal(second.logged_in, timeout=15_000) as signal:
        _log_in(qtbot, second, "demo_admin", "demo-admin-pass", remember=False)
    signal.args[0].close()

    assert memory_keyring.entries == {}


def test_without_a_keyring_the_window_says_so_once_and_carries_on(qtbot, demo_database, settings):
    window = _window(qtbot, demo_database, settings, NoKeyring())
    with qtbot.waitSignal(window.logged_in, timeout=15_000) as signal:
        _log_in(qtbot, window, "demo_admin", "demo-admin-pass", remember=True)
    signal.args[0].close()

    assert "Passwords cannot be remembered on this machine" in window.notice.text()
    assert not window.remember.isEnabled()


def test_the_read_only_server_and_pool_size_come_from_the_settings_with_the_server(
    qtbot, demo_database, settings, memory_keyring
):
    # The read-only server has its field (restored from login/read_server); the pool size is
    # QSettings' login/pool_size only, for the IT person.
    settings.setValue("login/read_server", "replica.clinic.example:5433")
    settings.setValue("login/pool_size", 2)
    window = _window(qtbot, demo_database, settings, memory_keyring)
    window.where.setCurrentIndex(window.where.findData(SERVER_CHOICE))
    profile = window.profile()
    assert (profile.read_server, profile.pool_size) == ("replica.clinic.example:5433", 2)
    assert window.server.read_server.text() == "replica.clinic.example:5433"
    assert profile.read_url("someone").host == "replica.clinic.example"  # type: ignore[union-attr]
    save_login(settings, profile, "someone")
    assert settings.value("login/read_server") == "replica.clinic.example:5433"
    assert int(settings.value("login/pool_size")) == 2


def test_the_read_only_server_is_typed_in_its_row_and_shown_only_for_a_clinic_server(
    qtbot, demo_database, settings, memory_keyring
):
    window = _window(qtbot, demo_database, settings, memory_keyring)
    field = window.server.read_server
    assert ("Read-only server:", field) in window.server_rows
    window.where.setCurrentIndex(window.where.findData(SERVER_CHOICE))
    assert field.isVisibleTo(window)
    window.host.setText("db.clinic.example")
    qtbot.keyClicks(field, " standby.clinic.example:5433 ")
    assert window.profile().read_server == "standby.clinic.example:5433"
    assert window.profile().read_url("someone").port == 5433  # type: ignore[union-attr]
    field.clear()
    assert window.profile().read_url("someone") is None  # none typed: no read-only server
    window.where.setCurrentIndex(window.where.findData("demo"))
    assert not field.isVisibleTo(window)
