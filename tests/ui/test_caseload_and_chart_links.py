"""My caseload and the ways into a chart, offscreen in the main window on a private demo clinic:
the caseload sorted and searchable, double-click to the chart and Back again, the dashboard's,
the appointments' and the notes' "Open chart", the admin's Clients page; finance has none of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QPushButton

from backoffice.services.login import StaffSession, open_session
from backoffice.services.transfers import transfer_client
from backoffice.ui.main_window import MainWindow
from backoffice.ui.pages.caseload_page import CaseloadPage
from backoffice.ui.pages.list_page import ListPage
from tests.conftest import DEMO_PASSWORDS
from tests.integration.refund_fixtures import Clinic, clinic_fixture  # noqa: F401 (fixture)
from tests.integration.test_shared_history import MOVING
from tests.integration.transfer_fixtures import NEW, OLD

WAIT = 20_000


@pytest.fixture
def window_for(qtbot, clinic: Clinic, tmp_path) -> Iterator:
    sessions: list[StaffSession] = []
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)

    def make(login: str) -> MainWindow:
        session = open_session(
            clinic.database.profile(), username=login, password=DEMO_PASSWORDS[login]
        )
        sessions.append(session)
        window = MainWindow(session, settings=settings)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        return window

    yield make
    for session in sessions:
        session.close()


def caseload(qtbot, window: MainWindow) -> CaseloadPage:
    page = window.pages["caseload"]
    assert isinstance(page, CaseloadPage)
    if page.model.rowCount() == 0:
        with qtbot.waitSignal(page.loaded, timeout=WAIT):
            window.show_page("caseload")
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    return page


def chart_shown(qtbot, window: MainWindow, trigger) -> object:  # type: ignore[no-untyped-def]
    chart = window._chart()
    with qtbot.waitSignal(chart.chart_loaded, timeout=WAIT) as loaded:
        trigger()
    qtbot.waitUntil(lambda: not chart.is_busy(), timeout=WAIT)
    assert window.current_page_key() == "chart"
    return loaded.args[0]


def test_the_caseload_is_the_therapists_clients_soonest_first_and_searchable(
    qtbot, clinic, window_for
):
    page = caseload(qtbot, window_for("demo_therapist"))
    rows = page.model.records
    assert {r.client_id for r in rows} == {
        row[0]
        for row in clinic.sql(
            "SELECT client_id FROM all_clients_table WHERE therapist_id = %s", OLD
        )
    }
    upcoming = [r.next_session for r in rows if r.next_session is not None]
    assert upcoming == sorted(upcoming)
    name = rows[-1].client_name or ""
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.search_box.setText(name)
    assert [r.client_name for r in page.model.records] == [name]


def test_double_clicking_a_client_opens_the_chart_and_back_returns(qtbot, window_for):
    window = window_for("demo_therapist")
    page = caseload(qtbot, window)
    first = page.model.records[0]
    index = page.model.index(0, 0)
    chart = chart_shown(qtbot, window, lambda: page.table.doubleClicked.emit(index))
    assert chart.client_id == first.client_id  # type: ignore[attr-defined]
    window.chart_page.back_button.click()  # type: ignore[union-attr]
    assert window.current_page_key() == "caseload"


def test_the_dashboard_opens_the_chart_of_a_client_received_this_month(qtbot, clinic, window_for):
    client = clinic.value(MOVING, NEW, NEW)
    clinic.run(
        "demo_admin",
        transfer_client,
        client_id=client,
        to_therapist_id=OLD,
        reason="Covering a long leave",
        capacity_override_reason="Agreed",
    )
    window = window_for("demo_therapist")
    dashboard = window.pages["dashboard"]
    qtbot.waitUntil(lambda: getattr(dashboard, "dashboard", None) is not None, timeout=WAIT)
    buttons = [
        b
        for b in dashboard.findChildren(QPushButton)
        if b.objectName().startswith("received_") and b.objectName().endswith("_chart")
    ]
    assert len(buttons) == 1, "the client just received, with a button to their chart"
    chart = chart_shown(qtbot, window, buttons[0].click)
    assert chart.client_id == client  # type: ignore[attr-defined]
    window.chart_page.back_button.click()  # type: ignore[union-attr]
    assert window.current_page_key() == "dashboard"


@pytest.mark.parametrize("key", ["appointments", "my_notes"])
def test_a_session_or_a_note_opens_its_clients_chart_focused_on_it(qtbot, window_for, key):
    window = window_for("demo_therapist")
    window.show_page(key)
    page = window.pages[key]
    assert isinstance(page, ListPage)
    qtbot.waitUntil(lambda: page.table.model.rowCount() > 0, timeout=WAIT)
    page.table.table.setCurrentIndex(page.table.model.index(0, 0))
    chart = chart_shown(qtbot, window, page.action_buttons["Open chart"].click)
    assert chart.focus_booking_id is not None  # type: ignore[attr-defined]
    assert window.chart_page.timeline.selected_booking() == chart.focus_booking_id  # type: ignore[union-attr, attr-defined]


def test_an_admin_opens_any_clients_chart_from_clients_and_finance_never_sees_one(
    qtbot, window_for
):
    admin = window_for("demo_admin")
    admin.show_page("clients")
    page = admin.pages["clients"]
    assert isinstance(page, ListPage) and "Open chart" in page.action_buttons
    qtbot.waitUntil(lambda: page.table.model.rowCount() > 0, timeout=WAIT)
    page.table.table.setCurrentIndex(page.table.model.index(0, 0))
    chart = chart_shown(qtbot, admin, page.action_buttons["Open chart"].click)
    assert not chart.may_write  # type: ignore[attr-defined]
    finance = window_for("demo_finance")
    assert "caseload" not in finance.page_keys()
    for page in finance.pages.values():
        assert "Open chart" not in getattr(page, "action_buttons", {})
