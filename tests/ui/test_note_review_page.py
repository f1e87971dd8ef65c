"""The note review page, offscreen, on a private demo clinic: risk first and marked, an opened note
is on record with its risk fields highlighted, and the verdict form keeps the high-risk rule."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from backoffice.services.login import StaffSession, open_session
from backoffice.ui.pages.note_review_page import NEEDS_COMMENT, NoteReviewPage
from backoffice.ui.widgets.note_view import RISK_STYLE
from tests.conftest import DEMO_PASSWORDS
from tests.integration.refund_fixtures import Clinic, clinic_fixture  # noqa: F401 (fixture)

WAIT = 15_000


@pytest.fixture
def page_for(qtbot, clinic: Clinic) -> Iterator:
    sessions: list[StaffSession] = []

    def make(login: str) -> NoteReviewPage:
        session = open_session(
            clinic.database.profile(), username=login, password=DEMO_PASSWORDS[login]
        )
        sessions.append(session)
        page = NoteReviewPage(session)
        qtbot.addWidget(page)
        return page

    yield make
    for session in sessions:
        session.close()


def loaded(qtbot, page: NoteReviewPage) -> NoteReviewPage:
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.is_busy(), timeout=WAIT)
    return page


def test_the_queue_shows_high_risk_first_and_marked(qtbot, page_for):
    page = loaded(qtbot, page_for("demo_admin"))
    kinds = [row.kind for row in page.model.records]
    assert kinds[0] == "risk" and "unreviewed" in kinds and "due" in kinds
    first, plain = page.model.index(0, 2), page.model.index(kinds.index("unreviewed"), 2)
    assert page.model.data(first, Qt.ItemDataRole.FontRole).bold()
    assert page.model.data(plain, Qt.ItemDataRole.FontRole) is None
    assert "high risk" in page.count.text()


def test_opening_a_note_puts_it_on_record_and_highlights_its_risk_fields(qtbot, clinic, page_for):
    page = loaded(qtbot, page_for("demo_admin"))
    # A note that mentions self-harm (the first risk lines may be flagged by their text alone).
    row = next(i for i, r in enumerate(page.model.records) if r.kind == "risk" and r.self_harm)
    with qtbot.waitSignal(page.note_opened, timeout=WAIT) as opened:
        page.select_row(row)
    detail = opened.args[0]
    assert detail.high_risk
    assert clinic.sql(
        "SELECT note_id, opened_by FROM backoffice.note_openings WHERE purpose = 'read'"
    ) == [(detail.note_id, "demo_admin")]
    labels = page.note_view.value_labels
    assert labels["self_harm_details"].styleSheet() == RISK_STYLE
    assert labels["concerns_discussed"].styleSheet() == ""
    assert page.note_view.findChild(object, "note_risk_banner") is not None


def test_no_action_on_a_high_risk_note_needs_a_comment_and_a_review_leaves_the_queue(
    qtbot, clinic, page_for
):
    page = loaded(qtbot, page_for("demo_admin"))
    before = clinic.value("SELECT count(*) FROM backoffice.note_reviews")  # the demo's own
    with qtbot.waitSignal(page.note_opened, timeout=WAIT) as opened:
        page.select_row(0)
    note_id = opened.args[0].note_id
    qtbot.waitUntil(lambda: page.submit.isEnabled(), timeout=WAIT)
    page.outcome.setCurrentIndex(page.outcome.findData("no_action"))
    page.submit.click()
    assert page.status.text() == NEEDS_COMMENT
    assert clinic.value("SELECT count(*) FROM backoffice.note_reviews") == before

    page.comment.setPlainText("Spoke with the therapist: safety plan already in place.")
    with qtbot.waitSignal(page.reviewed, timeout=WAIT) as reviewed:
        page.submit.click()
    assert (reviewed.args[0].note_id, reviewed.args[0].outcome) == (note_id, "no_action")
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    assert note_id not in [row.note_id for row in page.model.records]


def test_finance_gets_no_queue(qtbot, page_for):
    page = page_for("demo_finance")
    page.show()
    assert not page.isEnabled() and page.model.rowCount() == 0
