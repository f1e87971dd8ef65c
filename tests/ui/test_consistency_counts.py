"""The data-quality panel's 'Sessions booked counts…': an admin says what the clinic's counter
means, and a counter the check could only report becomes one it may repair (#14 item 5)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from backoffice.services.login import StaffSession, open_session
from backoffice.ui.pages.consistency_panel import ConsistencyPanel
from tests.conftest import DEMO_PASSWORDS
from tests.integration.transfer_fixtures import owner

WAIT = 15_000
KEY = "counter_differs:58007:sessions_booked"


@pytest.fixture
def session(demo_clone) -> Iterator[StaffSession]:
    with owner(demo_clone) as conn:
        conn.execute(
            "DELETE FROM backoffice.settings WHERE key = 'therapists.sessions_booked_counts'"
        )
        conn.execute(
            "UPDATE therapists SET sessions_booked = sessions_booked + 3 "
            "WHERE therapist_id = '58007'"
        )
    opened = open_session(
        demo_clone.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    yield opened
    opened.close()


def _issue(panel: ConsistencyPanel):
    return next((i for i in panel.model.records if i.key == KEY), None)


def test_choosing_what_sessions_booked_counts_makes_the_counter_repairable(qtbot, session):
    panel = ConsistencyPanel(session)
    qtbot.addWidget(panel)
    panel.resize(1100, 420)
    panel.show()
    panel.refresh()
    qtbot.waitUntil(lambda: _issue(panel) is not None and not panel.is_busy(), timeout=WAIT)
    row = [i.key for i in panel.model.records].index(KEY)
    panel.table.selectRow(row)
    assert not _issue(panel).repairable and not panel.repair_one.isEnabled()

    panel.counts.click()
    dialog = panel.counts_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.comboBoxItems() == ["every booking", "every booking not cancelled"]
    dialog.setTextValue("every booking not cancelled")
    dialog.accept()

    qtbot.waitUntil(
        lambda: _issue(panel) is not None and _issue(panel).repairable and not panel.is_busy(),
        timeout=WAIT,
    )
    assert "counting every booking not cancelled" in _issue(panel).description
    if shots := os.environ.get("BACKOFFICE_SCREENSHOTS"):
        panel.grab().save(os.path.join(shots, "consistency-counts.png"))
