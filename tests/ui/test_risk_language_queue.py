"""Risk language in the review queue, offscreen, on a private demo clinic: a note whose risk fields
say "low" but whose text says more is found by the page's own check, rises to the top with its
reason, and opens with exactly its phrase highlighted (an emoji before it moves nothing)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QTextDocument, QTextFormat
from PySide6.QtWidgets import QSplitter

from backoffice.risk_language import scan
from backoffice.services.login import StaffSession, open_session
from backoffice.ui.pages.note_review_page import NoteReviewPage
from backoffice.ui.widgets.note_view import marked_text
from tests.conftest import DEMO_PASSWORDS
from tests.integration.refund_fixtures import Clinic, clinic_fixture  # noqa: F401 (fixture)

WAIT = 20_000
SHOTS = os.environ.get("BACKOFFICE_SCREENSHOTS")  # a directory: the queue is saved there
TEXT = "Feeling 😞 after the results; said 'kabhi lagta hai marna chahti hoon' twice."


@pytest.fixture
def admin_page(qtbot, clinic: Clinic) -> Iterator[NoteReviewPage]:
    session: StaffSession = open_session(
        clinic.database.profile(), username="demo_admin", password=DEMO_PASSWORDS["demo_admin"]
    )
    page = NoteReviewPage(session)
    qtbot.addWidget(page)
    yield page
    session.close()


def _plant(clinic: Clinic) -> int:
    note_id = int(
        clinic.value(
            "SELECT min(note_id) FROM client_session_notes "
            "WHERE current_risk_level = 'low' AND self_harm_mention = 'no'"
        )
    )
    with clinic.owner() as conn:
        conn.execute(
            "UPDATE client_session_notes SET concerns_discussed = %s, updated_at = now() "
            "WHERE note_id = %s",
            (TEXT, note_id),
        )
    return note_id


def highlighted(rich_text: str) -> list[tuple[int, str]]:
    """(UTF-16 position, text) of each fragment Qt renders with a background."""
    document = QTextDocument()
    document.setHtml(rich_text)
    found, block = [], document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().hasProperty(QTextFormat.Property.BackgroundBrush):
                found.append((fragment.position(), fragment.text()))
            it += 1
        block = block.next()
    return found


def test_the_queue_finds_risk_language_itself_and_highlights_the_phrase(qtbot, clinic, admin_page):
    note_id = _plant(clinic)
    page = admin_page
    page.show()
    qtbot.waitUntil(lambda: page.risk_scan.result is not None, timeout=WAIT)
    assert (page.risk_scan.result.examined, page.risk_scan.result.flagged) == (1, 1)
    qtbot.waitUntil(
        lambda: any(r.note_id == note_id for r in page.model.records) and not page.is_busy(),
        timeout=WAIT,
    )
    row = next(r for r in page.model.records if r.note_id == note_id)
    assert row.kind == "risk" and row.risk_level == "low" and not row.self_harm
    assert row.risk_reason == "Text mentions: 'marna chahti'"
    assert "by their text)" in page.count.text()

    with qtbot.waitSignal(page.note_opened, timeout=WAIT) as opened:
        page.select_row(page.model.records.index(row))
    detail = opened.args[0]
    [span] = detail.risk_spans
    assert (span.field, span.phrase) == ("concerns_discussed", "marna chahti")
    label = page.note_view.value_labels["concerns_discussed"]
    utf16_start = len(TEXT[: span.start].encode("utf-16-le")) // 2
    assert utf16_start == span.start + 1  # the emoji is two UTF-16 units
    assert highlighted(label.text()) == [(utf16_start, "marna chahti")]
    banner = page.note_view.findChild(object, "note_risk_banner")
    assert "Text mentions: 'marna chahti' (suicidal ideation)" in banner.text()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.resize(1600, 820)
        page.findChild(QSplitter).setSizes([900, 700])  # the reason column in view
        page.grab().save(str(Path(SHOTS) / "review_queue_risk_language.png"))


def test_a_phrase_that_does_not_stand_at_its_span_is_left_unmarked():
    [match] = scan(TEXT)
    from backoffice.services.notes import RiskSpan

    good = RiskSpan("f", match.phrase, match.start, match.end, "Suicidal ideation")
    moved = RiskSpan("f", match.phrase, match.start + 1, match.end + 1, "Suicidal ideation")
    assert highlighted(marked_text(TEXT, [good]))[0][1] == "marna chahti"
    assert highlighted(marked_text(TEXT, [moved])) == []
    assert marked_text("<b>&</b>", []) == "&lt;b&gt;&amp;&lt;/b&gt;"
