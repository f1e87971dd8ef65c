"""Issue 15, item 14: Appointments and Bookings open on what is to come, from today (not on the
furthest booking, months ahead); Past and All are a choice away."""

from __future__ import annotations

import datetime as dt

import pytest

from backoffice.services.login import open_session
from backoffice.ui.main_window import MainWindow
from backoffice.values import clinic_today
from tests.conftest import DEMO_PASSWORDS

WAIT = 15_000


@pytest.fixture
def window(qtbot, demo_database, tmp_path):
    from PySide6.QtCore import QSettings

    session = open_session(
        demo_database.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    window = MainWindow(
        session, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    yield window
    window.idle_lock.stop()
    session.close()


def moments(page, rows: int = 40) -> list[dt.datetime]:
    model = page.table.model
    return [model.values(r)[0] for r in range(min(rows, model.rowCount())) if model.values(r)]


@pytest.mark.parametrize("key", ["appointments", "bookings"])
def test_the_page_opens_on_today_soonest_first_and_past_is_a_choice_away(qtbot, window, key):
    window.show_page(key)
    page = window.pages[key]
    qtbot.waitUntil(lambda: page.table.model.texts(0) is not None, timeout=WAIT)
    start = dt.datetime.combine(clinic_today(), dt.time())
    shown = moments(page)
    assert page.when.currentData() == "upcoming" and page.when.isVisible()
    assert shown and shown[0] >= start and shown == sorted(shown)
    assert shown[0] < start + dt.timedelta(days=7)  # today's, not the furthest booking's

    page.when.setCurrentIndex(page.when.findData("past"))
    qtbot.waitUntil(
        lambda: not page.table.model.loading and page.table.model.texts(0) is not None, timeout=WAIT
    )
    past = moments(page)
    assert past and past[0] < start and past == sorted(past, reverse=True)
    page.close_page()
