"""Issue 15, item 3: nothing chosen or typed for one record reaches the next. The note review's
outcome and comment start empty for each note; the application form empties after a decision and
when another application is chosen; the queue's count goes down after a review."""

from __future__ import annotations

import pytest

from backoffice.services.login import open_session
from backoffice.ui.pages.note_review_page import NoteReviewPage
from backoffice.ui.pages.therapists_page import TherapistsPage
from tests.conftest import DEMO_PASSWORDS
from tests.integration.transfer_fixtures import owner

WAIT = 15_000


@pytest.fixture
def admin(demo_clone):
    session = open_session(
        demo_clone.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    yield session
    session.close()


def loaded_queue(qtbot, admin) -> NoteReviewPage:
    page = NoteReviewPage(admin)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() > 2 and not page.is_busy(), timeout=WAIT)
    return page


def opened(qtbot, page: NoteReviewPage, row: int) -> None:
    page.select_row(row)
    qtbot.waitUntil(
        lambda: (
            page.note_view.detail is not None
            and page.note_view.detail.note_id == page.model.record(row).note_id
            and not page.is_busy()
        ),
        timeout=WAIT,
    )


def test_the_next_note_starts_with_no_outcome_and_no_comment(qtbot, admin):
    page = loaded_queue(qtbot, admin)
    opened(qtbot, page, 0)
    page.outcome.setCurrentIndex(page.outcome.findData("escalated"))
    page.comment.setPlainText("Called the therapist")

    opened(qtbot, page, 1)

    assert page.outcome.currentIndex() == -1 and page.outcome.currentData() is None
    assert page.comment.toPlainText() == ""
    page.submit.click()  # nothing chosen: refused, not reviewed as the last note's outcome
    assert page.status.text() == "Choose the outcome of your review." and page.status.is_error


def to_review(page: NoteReviewPage) -> int:
    """The queue's size as the page says it ("1,460 notes to review (6 high risk) · …")."""
    return int(page.count.text().split(" note")[0].replace(",", ""))


def test_a_review_takes_the_note_out_of_the_queue_and_the_count_down(qtbot, admin, demo_clone):
    page = loaded_queue(qtbot, admin)
    before = to_review(page)
    with owner(demo_clone) as conn:
        notes = conn.execute("SELECT count(*) FROM client_session_notes").fetchone()[0]
        reviewed = conn.execute("SELECT count(*) FROM backoffice.note_reviews").fetchone()[0]
    assert before == notes - reviewed > page.model.rowCount()  # more than the 200 listed
    opened(qtbot, page, 0)
    note = page.note_view.detail.note_id
    page.outcome.setCurrentIndex(page.outcome.findData("follow_up"))
    with qtbot.waitSignal(page.reviewed, timeout=WAIT):
        page.submit.click()
    qtbot.waitUntil(lambda: to_review(page) == before - 1, timeout=WAIT)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)

    assert note not in [r.note_id for r in page.model.records]
    assert "marked reviewed" in page.status.text() and not page.status.is_error


def test_the_application_form_empties_after_an_approval_and_for_another_applicant(qtbot, admin):
    page = TherapistsPage(admin, confirm=lambda *_, **__: True)
    qtbot.addWidget(page)
    page.show()
    panel = page.applications
    qtbot.waitUntil(lambda: panel.application is not None and not panel.is_busy(), timeout=WAIT)
    form = panel.decision
    form.message.setPlainText("Welcome aboard")
    form.with_login.setChecked(True)
    form.login_name.setText("new.therapist")
    form.password.setText("a-long-first-password")

    panel.table.setCurrentIndex(panel.model.index(1, 0))  # another applicant
    assert (form.message.toPlainText(), form.with_login.isChecked(), form.login_name.text()) == (
        "",
        False,
        "",
    )
    qtbot.waitUntil(lambda: panel.application is not None and not panel.is_busy(), timeout=WAIT)

    form.with_login.setChecked(True)
    form.login_name.setText("new.therapist")
    form.password.setText("a-long-first-password")
    form.buttons["approve"].click()  # refused here, before anything is sent
    assert "lower-case letters, digits or underscores" in panel.status.text()
    form.login_name.clear()
    qtbot.keyClicks(form.login_name, "new_therapist")
    assert panel.status.text() == ""  # the error went once the name was edited
    with qtbot.waitSignal(panel.decided, timeout=WAIT):
        form.buttons["approve"].click()
    assert not form.with_login.isChecked() and form.login_name.text() == ""
    assert form.password.text() == "" and "new_therapist" in panel.status.text()
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=WAIT)
