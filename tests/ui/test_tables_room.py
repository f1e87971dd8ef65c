"""Issue 15, item 11: tables with room. Each column at least as wide as its header; names whole;
the detail pane keeps its width whatever the row shows; an empty detail says what to do."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTableView

from backoffice.services.browse import PAYMENTS, Browser
from backoffice.services.login import open_session
from backoffice.ui.pages.applications_panel import ApplicationsPanel
from backoffice.ui.pages.note_review_page import NoteReviewPage
from backoffice.ui.pages.refunds_panel import RefundsPanel
from backoffice.ui.widgets.lazy_table_view import LazyTableView
from tests.conftest import DEMO_PASSWORDS
from tests.ui.test_words import a_refund

WAIT = 15_000


@pytest.fixture
def session_as(demo_database):
    opened = []

    def login(name: str):
        session = open_session(
            demo_database.profile(), username=name, password=DEMO_PASSWORDS[name]
        )
        opened.append(session)
        return session

    yield login
    for session in opened:
        session.close()


def headers_fit(table: QTableView) -> list[str]:
    """The headers cut short: wider than their column."""
    header, model = table.horizontalHeader(), table.model()
    metrics = header.fontMetrics()
    return [
        model.headerData(c, header.orientation())
        for c in range(header.count())
        if header.sectionSize(c)
        < metrics.horizontalAdvance(model.headerData(c, header.orientation()))
    ]


def test_the_applications_list_shows_whole_headers_and_names(qtbot, session_as):
    panel = ApplicationsPanel(session_as("demo_admin"))
    qtbot.addWidget(panel)
    panel.resize(1100, 600)
    panel.show()
    panel.refresh()
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0 and not panel.is_busy(), timeout=WAIT)
    assert headers_fit(panel.table) == []
    names = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    widest = max(panel.table.fontMetrics().horizontalAdvance(n) for n in names)
    assert panel.table.columnWidth(0) >= widest
    assert "Select an application" in panel.details.toPlainText() or panel.application


def test_the_review_queue_shows_names_whole_on_one_line(qtbot, session_as):
    page = NoteReviewPage(session_as("demo_admin"))
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.is_busy(), timeout=WAIT)
    table = page.table
    assert not table.wordWrap() and headers_fit(table) == []
    metrics = table.fontMetrics()
    for column in (1, 2):  # client, therapist
        texts = [page.model.index(r, column).data() for r in range(min(30, page.model.rowCount()))]
        assert table.columnWidth(column) >= max(metrics.horizontalAdvance(t) for t in texts)


def test_a_refund_table_header_is_never_clipped_and_an_empty_ledger_says_what_to_do(
    qtbot, session_as
):
    panel = RefundsPanel(session_as("demo_finance"))
    qtbot.addWidget(panel)
    panel.resize(1100, 500)
    panel.show()
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=WAIT)
    state = panel.state_filter.currentData()
    panel._on_loaded((state, (a_refund(gateway_reference="rfnd_QWERTY123456"), a_refund(id=2))))
    assert headers_fit(panel.table) == []
    assert panel.ledger.text() == "Select a refund to see its history."


def test_the_detail_pane_keeps_its_width_whatever_the_row_holds(qtbot, session_as):
    session = session_as("demo_finance")
    view = LazyTableView(Browser(session.unit_of_work, session.actor, PAYMENTS))
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    view.open()
    qtbot.waitUntil(lambda: view.model.texts(0) is not None, timeout=WAIT)
    assert view.detail.texts() is None and "Select a row" in view.detail.toPlainText()
    sizes = view.splitter.sizes()
    for row in range(20):
        view.table.setCurrentIndex(view.model.index(row, 0))
        qtbot.wait(5)
        assert view.splitter.sizes() == sizes, row
    assert view.detail.texts() == view.model.texts(19)
    view.close_page()


def test_a_refund_list_asked_for_before_the_filter_changed_is_not_shown(qtbot, session_as):
    """Two filters chosen quickly: the list of the first may come back last; the table shows the
    list of the filter on screen, never the older one."""
    panel = RefundsPanel(session_as("demo_finance"))
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=WAIT)
    panel.state_filter.setCurrentIndex(panel.state_filter.findData("approved"))
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=WAIT)
    shown = panel.model.rowCount()
    panel._on_loaded(("requested", (a_refund(), a_refund(id=2), a_refund(id=3))))
    assert panel.model.rowCount() == shown
