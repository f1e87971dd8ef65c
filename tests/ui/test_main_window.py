"""The main window: the pages of each role, the title, the idle lock, log out."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from backoffice.services.login import open_session
from backoffice.ui.main_window import MainWindow

LOGINS = {
    "admin": ("demo_admin", "demo-admin-pass"),
    "finance": ("demo_finance", "demo-finance-pass"),
    "therapist": ("demo_therapist", "demo-therapist-pass"),
}


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window_for(qtbot, demo_database, settings):
    sessions = []

    def open_window(role: str, **kwargs) -> MainWindow:
        username, password = LOGINS[role]
        session = open_session(demo_database.profile(), username=username, password=password)
        sessions.append(session)
        window = MainWindow(session, settings=settings, **kwargs)
        qtbot.addWidget(window)
        return window

    yield open_window
    for session in sessions:
        session.close()


def test_each_role_sees_exactly_its_pages(window_for):
    assert window_for("admin").page_keys() == [
        "dashboard",
        "therapists",
        "clients",
        "appointments",
        "bookings",
        "payments",
        "notes",
        "reports",
        "audit",
        "data_quality",
    ]
    assert window_for("finance").page_keys() == ["dashboard", "bookings", "payments", "reports"]
    assert window_for("therapist").page_keys() == [
        "dashboard",
        "caseload",
        "clients",
        "appointments",
        "bookings",
        "my_notes",
    ]


def test_a_therapist_has_no_finance_page_and_finance_no_note_page(window_for):
    assert "payments" not in window_for("therapist").page_keys()
    assert not {"notes", "my_notes"} & set(window_for("finance").page_keys())


def test_the_title_names_the_person_their_role_and_the_server_never_the_password(window_for):
    title = window_for("finance").windowTitle()

    assert "(finance)" in title and "demo" in title
    assert "demo-finance-pass" not in title


def test_geometry_and_splitter_survive_a_restart_and_settings_hold_no_secret(
    window_for, settings, tmp_path
):
    first = window_for("therapist")
    first.show()
    first.resize(790, 560)  # inside the offscreen platform's 800x800 screen
    first.splitter.setSizes([200, 590])
    first.close()

    second = window_for("therapist")
    second.show()
    assert (second.width(), second.height()) == (790, 560)
    assert second.splitter.sizes()[0] == 200
    text = (tmp_path / "settings.ini").read_bytes()
    assert b"demo-therapist-pass" not in text


def test_pages_reload_what_they_show_when_a_workflow_changed_it(window_for, qtbot, monkeypatch):
    from backoffice.services.changes import Area, Changes
    from backoffice.ui.pages.reconciliation_panel import ReconciliationPanel
    from backoffice.ui.pages.refunds_panel import RefundsPanel

    loads: list[str] = []
    monkeypatch.setattr(RefundsPanel, "refresh", lambda self: loads.append("refunds"))
    monkeypatch.setattr(ReconciliationPanel, "refresh", lambda self: loads.append("reconciliation"))
    window = window_for("finance")
    window.show()
    window.show_page("payments")
    payments = window.pages["payments"]
    payments.tabs.setCurrentIndex(1)
    assert loads == ["refunds"]

    window.changes_published.emit(Changes.of(Area.NOTE_REVIEWS))  # nothing this page shows
    window.changes_published.emit(Changes.of(Area.REFUNDS))
    assert loads == ["refunds", "refunds"]  # the tab in view, at once

    payments.tabs.setCurrentIndex(2)
    window.changes_published.emit(Changes.of(Area.REFUNDS))
    payments.tabs.setCurrentIndex(1)  # changed while hidden: reloaded when shown again
    assert loads == ["refunds", "refunds", "reconciliation", "reconciliation", "refunds"]
    # The payments table, opened first, counts its rows in the background: stop that with the test.
    payments.close_page()
