"""The data-quality page lists the demo's orphaned note and links it to a booking of that client."""

from __future__ import annotations

import psycopg

from backoffice.services.login import open_session
from backoffice.ui.pages.orphaned_notes_panel import OrphanedNotesPanel
from tests.pg import libpq_conninfo


def test_the_orphaned_note_is_listed_and_linked_to_a_booking_of_its_client(qtbot, demo_clone):
    with psycopg.connect(libpq_conninfo(demo_clone.owner_url)) as owner:
        owner.execute(
            "INSERT INTO bookings (booking_id, invitee_name, booking_start_at, booking_status) "
            "VALUES ('BK-POOJA', 'Pooja Jain', now() - interval '3 days', 'completed')"
        )
        owner.commit()
    session = open_session(demo_clone.profile(), username="demo_admin", password="demo-admin-pass")
    panel = OrphanedNotesPanel(session)
    qtbot.addWidget(panel)
    try:
        panel.refresh()
        qtbot.waitUntil(lambda: panel.notes.count() > 0, timeout=15_000)
        assert "Pooja Jain" in panel.notes.item(0).text()
        assert not panel.link_button.isEnabled()

        panel.notes.setCurrentRow(0)
        qtbot.waitUntil(lambda: panel.candidates.count() > 0, timeout=15_000)
        candidates = [panel.candidates.item(i).text() for i in range(panel.candidates.count())]
        row = next(i for i, text in enumerate(candidates) if "booking BK-POOJA" in text)
        panel.candidates.setCurrentRow(row)
        assert panel.link_button.isEnabled()
        panel.link_button.click()
        qtbot.waitUntil(
            lambda: (
                "now belongs to booking BK-POOJA" in panel.status.text()
                or "Every session note" in panel.status.text()
            ),
            timeout=15_000,
        )
        qtbot.waitUntil(lambda: not panel._actions.busy, timeout=15_000)
    finally:
        session.close()

    with psycopg.connect(libpq_conninfo(demo_clone.owner_url)) as owner:
        linked = owner.execute(
            "SELECT booking_id FROM client_session_notes WHERE client_name = 'Pooja Jain' "
            "AND booking_id = 'BK-POOJA'"
        ).fetchall()
        audited = owner.execute(
            "SELECT count(*) FROM backoffice.audit_events WHERE action = 'note.linked'"
        ).fetchone()[0]
    assert linked == [("BK-POOJA",)]
    assert audited == 1


def test_the_data_quality_page_shows_both_checks_when_opened(qtbot, demo_database):
    from backoffice.ui.pages.data_quality_page import DataQualityPage

    session = open_session(
        demo_database.profile(), username="demo_admin", password="demo-admin-pass"
    )
    page = DataQualityPage(session)
    qtbot.addWidget(page)
    try:
        page.show()
        qtbot.waitUntil(lambda: page.orphaned_notes.notes.count() > 0, timeout=15_000)
        qtbot.waitUntil(lambda: "checked" in page.consistency.summary.text(), timeout=15_000)
    finally:
        session.close()
