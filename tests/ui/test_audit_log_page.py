"""The admin's Audit log page shows the hash chain's state, walked on a worker: verified up to the
last event, then, once the owner has edited an event behind the triggers' back, broken at it."""

from __future__ import annotations

import os
from pathlib import Path

from backoffice.services.login import open_session
from backoffice.ui.pages.audit_log_page import AuditLogPage
from tests.conftest import DEMO_PASSWORDS
from tests.integration.audit_fixtures import owner

TIMEOUT_MS = 30_000
SCREENSHOTS = os.environ.get("BACKOFFICE_TEST_SCREENSHOTS")


def _grab(page: AuditLogPage, name: str) -> None:
    if SCREENSHOTS:  # for a person to look at: BACKOFFICE_TEST_SCREENSHOTS=DIR
        page.grab().save(str(Path(SCREENSHOTS) / name))


def test_the_page_says_verified_up_to_the_last_event_then_broken_at_the_edited_one(
    qtbot, demo_clone
):
    session = open_session(
        demo_clone.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    page = AuditLogPage(session)
    qtbot.addWidget(page)
    page.resize(1100, 520)
    try:
        page.show()
        state = page.chain_state
        qtbot.waitUntil(lambda: state.text().startswith("Hash chain verified"), timeout=TIMEOUT_MS)
        with owner(demo_clone) as conn:
            last, first = conn.execute(
                "SELECT max(id), min(id) FROM backoffice.audit_events"
            ).fetchone()
            with conn.transaction():
                conn.execute("ALTER TABLE backoffice.audit_events DISABLE TRIGGER USER")
                conn.execute(
                    "UPDATE backoffice.audit_events SET actor = 'someone_else' WHERE id = %s",
                    (first + 1,),
                )
                conn.execute("ALTER TABLE backoffice.audit_events ENABLE TRIGGER USER")
        assert f"up to event {last} (" in state.text() and not state.property("error")
        qtbot.waitUntil(lambda: page.table.model.rowCount() > 0, timeout=TIMEOUT_MS)
        _grab(page, "audit-log-verified.png")

        page.refresh()  # F5
        qtbot.waitUntil(lambda: state.text().startswith("Hash chain broken"), timeout=TIMEOUT_MS)
        assert f"Event {first + 1} (" in state.text()
        assert "was changed after it was written" in state.text()
        assert f"up to event {first} (" in state.text() and state.property("error")
        _grab(page, "audit-log-broken.png")
    finally:
        session.close()
