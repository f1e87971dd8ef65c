"""The client chart, offscreen, on a private demo clinic: it opens on the latest note (on record),
the risk strip and timeline hold every past session, a note read once is not fetched again, a
therapist writes an additional note, an admin reads without an editor, shared history is marked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLabel

from backoffice.services.chart import ADDITIONAL_NOTE_MAX_CHARS
from backoffice.services.login import StaffSession, open_session
from backoffice.services.transfers import transfer_client
from backoffice.ui.pages.chart_page import ChartPage
from backoffice.ui.pages.chart_timeline import SHARED_GROUP
from tests.conftest import DEMO_PASSWORDS
from tests.integration.refund_fixtures import Clinic, clinic_fixture  # noqa: F401 (fixture)
from tests.integration.test_shared_history import LATEST_NOTE, MOVING
from tests.integration.transfer_fixtures import NEW, OLD

WAIT = 20_000
# demo_therapist's client with the most notes
BUSY_CLIENT = """
SELECT b.invitee_id FROM client_session_notes n JOIN bookings b USING (booking_id)
JOIN all_clients_table c ON c.client_id = b.invitee_id AND c.therapist_id = b.therapist_id
WHERE b.therapist_id = %s GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
"""


@pytest.fixture
def chart_for(qtbot, clinic: Clinic) -> Iterator:
    sessions: list[StaffSession] = []

    def make(login: str, **target: object) -> ChartPage:
        session = open_session(
            clinic.database.profile(), username=login, password=DEMO_PASSWORDS[login]
        )
        sessions.append(session)
        page = ChartPage(session)
        qtbot.addWidget(page)
        page.resize(1200, 800)
        page.show()
        with qtbot.waitSignal(page.chart_loaded, timeout=WAIT):
            page.show_chart(**target)
        qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
        return page

    yield make
    for session in sessions:
        session.close()


def openings(clinic: Clinic) -> list[tuple]:
    return clinic.sql(
        "SELECT note_id, opened_by FROM backoffice.note_openings WHERE purpose = 'read' ORDER BY id"
    )


def test_the_chart_opens_on_the_latest_note_with_every_past_session_on_the_strip(clinic, chart_for):
    client = clinic.value(BUSY_CLIENT, OLD)
    page = chart_for("demo_therapist", client_id=client)
    chart = page.chart
    assert chart is not None and chart.client_id == client
    latest = next(e.session.note_id for e in chart.past if e.session.note_id is not None)
    assert page.note_view.detail is not None and page.note_view.detail.note_id == latest
    assert openings(clinic) == [(latest, "demo_therapist")]
    held = [s for s in chart.history if (s.status or "").lower() != "cancelled"]
    assert [s.booking_id for s in page.strip.sessions] == [s.booking_id for s in held]
    assert set(page.timeline.items) == {e.session.booking_id for e in chart.past + chart.upcoming}
    assert page.header.name.text() == chart.client_name
    assert page.additional.editor.isVisibleTo(page)


def test_a_note_read_once_stays_on_screen_without_a_second_opening(qtbot, clinic, chart_for):
    page = chart_for("demo_therapist", client_id=clinic.value(BUSY_CLIENT, OLD))
    assert page.chart is not None
    first, second = [e for e in page.chart.past if e.session.note_id is not None][:2]
    with qtbot.waitSignal(page.note_shown, timeout=WAIT) as shown:
        page.strip.session_clicked.emit(second.session.booking_id)
    assert shown.args[0].note_id == second.session.note_id
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    with qtbot.waitSignal(page.note_shown, timeout=WAIT):
        page.timeline.select(first.session.booking_id)
    assert [n for n, _ in openings(clinic)] == [first.session.note_id, second.session.note_id]


def test_a_therapist_writes_an_additional_note_and_the_timeline_shows_it(qtbot, clinic, chart_for):
    page = chart_for("demo_therapist", client_id=clinic.value(BUSY_CLIENT, OLD))
    booking = page.timeline.selected_booking()
    page.additional.editor.setPlainText("Called after the session.\nShe will try the diary.")
    with qtbot.waitSignal(page.chart_loaded, timeout=WAIT):  # the change reloads the chart
        page.additional.save_button.click()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    assert page.chart is not None
    entry = page.chart.entry(booking)
    assert entry is not None
    assert [n.text for n in entry.additional_notes][-1] == (
        "Called after the session.\nShe will try the diary."
    )
    assert page.additional.editor.toPlainText() == "" and "Saved" in page.additional.status.text()
    assert page.timeline.selected_booking() == booking
    texts = [w.text() for w in page.additional.findChildren(QLabel, "additional_note")]
    assert any("She will try the diary." in t for t in texts)


@pytest.mark.parametrize(
    ("text", "sentence"),
    [("   \n", "empty"), ("x" * (ADDITIONAL_NOTE_MAX_CHARS + 1), "too long")],
)
def test_an_empty_or_over_long_note_gets_a_sentence_and_nothing_is_saved(
    clinic, chart_for, text, sentence
):
    page = chart_for("demo_therapist", client_id=clinic.value(BUSY_CLIENT, OLD))
    before = clinic.value("SELECT count(*) FROM client_additional_notes")
    page.additional.editor.setPlainText(text)
    page.additional.save_button.click()
    assert sentence in page.additional.status.text()
    assert not page.is_busy()
    assert clinic.value("SELECT count(*) FROM client_additional_notes") == before


def test_an_admin_reads_the_chart_without_an_editor(clinic, chart_for):
    page = chart_for("demo_admin", client_id=clinic.value(BUSY_CLIENT, OLD))
    assert page.note_view.detail is not None
    assert not page.additional.editor.isVisibleTo(page)
    assert openings(clinic) == [(page.note_view.detail.note_id, "demo_admin")]


def test_shared_history_is_read_only_and_marked_as_the_previous_therapists(
    qtbot, clinic, chart_for
):
    client = clinic.value(MOVING, NEW, NEW)
    note_id = clinic.value(LATEST_NOTE, client)
    clinic.run(
        "demo_admin",
        transfer_client,
        client_id=client,
        to_therapist_id=OLD,
        reason="Covering a long leave",
        share_past_notes=True,
        capacity_override_reason="Agreed",
    )
    page = chart_for("demo_therapist", client_id=client)
    assert page.note_view.detail is not None and page.note_view.detail.note_id == note_id
    written_by = page.note_view.findChild(QLabel, "note_written_by")
    assert written_by is not None and "previous therapist" in written_by.text()
    assert not page.additional.editor.isVisibleTo(page)
    assert page.header.findChild(QLabel, "chart_badge_shared") is not None
    item = page.timeline.items[page.timeline.selected_booking() or ""]
    group = item.parent()
    assert group is not None and group.text(0).startswith(SHARED_GROUP)
    assert item.text(3) and "previous therapist" in item.toolTip(0)
