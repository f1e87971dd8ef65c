"""The lazy table on real PostgreSQL, offscreen: pages on scroll, SQL sort and search, the GUI
thread never waits for the database, stale answers are dropped, selection and export hold the filter."""

from __future__ import annotations

import csv
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from backoffice.errors import DatabaseUnavailable
from backoffice.services.browse import BOOKINGS, PAYMENTS, BrowseQuery, Browser, Filter, Page
from backoffice.ui import tasks
from backoffice.ui.widgets.lazy_table_model import LazyTableModel
from backoffice.ui.widgets.lazy_table_view import LazyTableView
from tests.integration.browse_fixtures import browse_clinic_fixture  # noqa: F401 (fixture)
from tests.integration.test_browse import offset_keys

WAIT = 10_000
EXPORT_WAIT = 60_000  # the first export also imports pandas


def browser_for(clinic, who="admin", source=BOOKINGS) -> Browser:
    return Browser(lambda: clinic.uow(who), clinic.actors[who], source)


@dataclass
class Watched:
    """A Browser that records the thread of every call and can hold chosen calls until released."""

    inner: Browser
    threads: list[int] = field(default_factory=list)
    hold_search: str | None = None
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    slow_stream: bool = False

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            self.threads.append(threading.get_ident())
            query = args[0] if args and isinstance(args[0], BrowseQuery) else None
            if query is not None and self.hold_search and query.search == self.hold_search:
                self.held.set()
                assert self.release.wait(WAIT / 1000)
            return attribute(*args, **kwargs)

        return call

    def stream(self, query: BrowseQuery, *, chunk_size: int = 2_000):
        for chunk in self.inner.stream(query, chunk_size=20 if self.slow_stream else chunk_size):
            if self.slow_stream:
                self.held.set()
                self.release.wait(0.05)
            yield chunk


def opened(qtbot, model: LazyTableModel) -> LazyTableModel:
    with qtbot.waitSignal(model.count_changed, timeout=WAIT):
        model.refresh()
    qtbot.waitUntil(lambda: model.exact and not model.loading, timeout=WAIT)
    return model


def shown_view(qtbot, browser, *, page_size=50, max_cached_rows=5_000) -> LazyTableView:
    view = LazyTableView(browser, page_size=page_size, max_cached_rows=max_cached_rows)
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    view.open()
    qtbot.waitUntil(lambda: view.model.exact and not view.model.loading, timeout=WAIT)
    return view


def keys_loaded(model: LazyTableModel, rows: range) -> list[Any]:
    return [model.key(r) for r in rows]


def test_the_count_starts_as_the_estimate_and_becomes_exact_in_the_background(qtbot, browse_clinic):
    model = LazyTableModel(browser_for(browse_clinic), page_size=50)
    counts = []
    model.count_changed.connect(lambda rows, exact: counts.append((rows, exact)))
    opened(qtbot, model)
    expected = len(offset_keys(browse_clinic, BOOKINGS, "booking_start_at", True))
    assert counts[0][1] is False  # the estimate comes first
    assert counts[-1] == (expected, True)
    assert model.rowCount() == expected


def test_scrolling_down_fetches_the_next_pages_in_order_and_keeps_memory_bounded(
    qtbot, browse_clinic
):
    # a small bound, to see it hold while scrolling through the whole table
    view = shown_view(qtbot, browser_for(browse_clinic), max_cached_rows=300)
    expected = offset_keys(browse_clinic, BOOKINGS, "booking_start_at", True)
    seen: list[Any] = []
    peak = 0
    for top in range(0, len(expected), 25):
        view.table.scrollTo(view.model.index(top, 0), view.table.ScrollHint.PositionAtTop)
        last = min(top + 25, len(expected))
        qtbot.waitUntil(
            lambda t=top, e=last: None not in keys_loaded(view.model, range(t, e)), timeout=WAIT
        )
        seen += keys_loaded(view.model, range(top, last))
        peak = max(peak, view.model.cached_rows)
    assert seen == expected
    assert peak <= 300 + 50


def test_jumping_to_the_end_fetches_the_last_page_directly(qtbot, browse_clinic):
    watched = Watched(browser_for(browse_clinic))
    view = shown_view(qtbot, watched)
    expected = offset_keys(browse_clinic, BOOKINGS, "booking_start_at", True)
    qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    last = len(expected) - 1
    qtbot.waitUntil(lambda: view.model.key(last) is not None, timeout=WAIT)
    assert keys_loaded(view.model, range(last - 20, last + 1)) == expected[-21:]
    assert view.model.cached_rows <= 2 * 50  # the first page and the last, nothing between


def test_sorting_by_a_header_reorders_the_rows_in_sql(qtbot, browse_clinic):
    model = opened(
        qtbot, LazyTableModel(browser_for(browse_clinic, "finance", PAYMENTS), page_size=50)
    )
    column = [c.name for c in model.columns].index("amount")
    with qtbot.waitSignal(model.count_changed, timeout=WAIT):
        model.sort(column, Qt.SortOrder.AscendingOrder)
    expected = offset_keys(browse_clinic, PAYMENTS, "amount", False)
    assert model.query.sort == "amount"
    assert keys_loaded(model, range(50)) == expected[:50]


def test_search_as_you_type_waits_for_a_pause_and_filters_in_sql(qtbot, browse_clinic):
    watched = Watched(browser_for(browse_clinic))
    model = opened(qtbot, LazyTableModel(watched, page_size=50, search_delay_ms=150))
    calls_before = len(watched.threads)
    for text in ("c", "ch", "chl", "chloé"):
        model.set_search(text)
    qtbot.waitUntil(
        lambda: model.query.search == "chloé" and model.exact and not model.loading, timeout=WAIT
    )
    expected = offset_keys(
        browse_clinic, BOOKINGS, "booking_start_at", True, "invitee_name ILIKE '%chloé%'"
    )
    assert model.rowCount() == len(expected)
    assert keys_loaded(model, range(50)) == expected[:50]
    assert len(watched.threads) - calls_before == 2  # one first page and one count, not four


def test_a_filter_is_applied_in_sql(qtbot, browse_clinic):
    model = opened(qtbot, LazyTableModel(browser_for(browse_clinic), page_size=50))
    with qtbot.waitSignal(model.count_changed, timeout=WAIT):
        model.set_filters(Filter("booking_status", value="cancelled"))
    qtbot.waitUntil(lambda: model.exact, timeout=WAIT)
    expected = offset_keys(
        browse_clinic, BOOKINGS, "booking_start_at", True, "booking_status = 'cancelled'"
    )
    assert model.rowCount() == len(expected)
    assert keys_loaded(model, range(50)) == expected[:50]


def test_the_gui_thread_never_runs_a_query(qtbot, browse_clinic):
    gui = threading.get_ident()
    watched = Watched(browser_for(browse_clinic))
    view = shown_view(qtbot, watched)
    view.jump_to_end()
    view.model.sort(1, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: view.model.exact and not view.model.loading, timeout=WAIT)
    assert len(watched.threads) >= 4
    assert gui not in watched.threads


def test_results_of_an_older_search_are_dropped(qtbot, browse_clinic):
    watched = Watched(browser_for(browse_clinic), hold_search="asha")
    model = opened(qtbot, LazyTableModel(watched, page_size=50, search_delay_ms=10))
    try:
        model.set_search("asha")
        qtbot.waitUntil(watched.held.is_set, timeout=WAIT)  # the "asha" page is on its way, held
        model.set_search("ben cohen")
        qtbot.waitUntil(lambda: model.query.search == "ben cohen" and model.exact, timeout=WAIT)
    finally:
        watched.release.set()  # now the older answer arrives
    qtbot.waitUntil(lambda: tasks.running_count() == 0, timeout=WAIT)
    names = {model.texts(r)[1] for r in range(min(model.rowCount(), 50))}
    assert names == {"Ben Cohen"}


def test_select_all_holds_the_filter_not_the_loaded_rows(qtbot, browse_clinic):
    browser = browser_for(browse_clinic)
    model = opened(qtbot, LazyTableModel(browser, page_size=50))
    flt = Filter("booking_status", value="cancelled")
    with qtbot.waitSignal(model.count_changed, timeout=WAIT):
        model.set_filters(flt)
    qtbot.waitUntil(lambda: model.exact, timeout=WAIT)
    model.select_all()
    model.toggle_row(3)
    selection = model.selection
    assert selection.all_matching and selection.query.filters == (flt,)
    assert selection.excluded == {model.key(3)}
    assert browser.count_selected(selection) == model.rowCount() - 1 > model.cached_rows - 1


def test_export_writes_every_filtered_row_not_only_the_loaded_ones(qtbot, browse_clinic, tmp_path):
    view = shown_view(qtbot, browser_for(browse_clinic, "finance", PAYMENTS))
    view.model.set_search("asha")
    qtbot.waitUntil(lambda: view.model.query.search == "asha" and view.model.exact, timeout=WAIT)
    expected = offset_keys(
        browse_clinic, PAYMENTS, "payment_date", True, "invitee_name ILIKE '%asha%'"
    )
    key_at = [c.name for c in view.model.columns].index("payment_id")
    for name in ("asha.csv", "asha.xlsx"):
        with qtbot.waitSignal(view.export_finished, timeout=EXPORT_WAIT):
            view.export_to(tmp_path / name)
    with open(tmp_path / "asha.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == [c.label for c in view.model.columns]
    assert [int(r[key_at]) for r in rows[1:]] == expected
    sheet = openpyxl.load_workbook(tmp_path / "asha.xlsx", read_only=True).active
    assert [r[key_at] for r in sheet.iter_rows(min_row=2, values_only=True)] == expected
    assert len(expected) > view.model.cached_rows


def test_cancelling_an_export_leaves_no_file(qtbot, browse_clinic, tmp_path):
    watched = Watched(browser_for(browse_clinic), slow_stream=True)
    view = shown_view(qtbot, watched)
    target = tmp_path / "bookings.csv"
    view.export_to(target)
    qtbot.waitUntil(watched.held.is_set, timeout=EXPORT_WAIT)
    assert not view.export_csv_button.isEnabled()
    with qtbot.waitSignal(view.export_failed, timeout=EXPORT_WAIT) as failed:
        view.cancel_export()
    assert "cancelled" in failed.args[0]
    assert list(tmp_path.iterdir()) == []
    assert view.export_csv_button.isEnabled()


@pytest.mark.parametrize("sentence", ["The connection to the server at db:5432 was lost."])
def test_a_failure_shows_the_errors_own_sentence(qtbot, browse_clinic, sentence):
    class Failing(Watched):
        def first_page(self, query, *, limit):
            raise DatabaseUnavailable(sentence)

    view = LazyTableView(Failing(browser_for(browse_clinic)))
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.model.failed, timeout=WAIT):
        view.open()
    assert view.status.text() == sentence
    assert view.refresh_button.isEnabled()


def test_painting_many_cells_keeps_python_reference_counts_intact(qtbot, browse_clinic):
    # A model answering through QModelRoleData.setData (PySide6 6.12) drops a reference to None
    # per cell painted, and the process crashes once None's count reaches zero.
    view = shown_view(qtbot, browser_for(browse_clinic))
    view.table.viewport().grab()
    before = sys.getrefcount(None)
    for _ in range(5):
        view.table.viewport().grab()
    assert sys.getrefcount(None) - before > -50


def test_ctrl_f_focuses_the_search_box_alone_and_inside_a_window_that_has_its_own_search(
    qtbot, browse_clinic
):
    view = shown_view(qtbot, browser_for(browse_clinic))
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(view.search_box.hasFocus, timeout=WAIT)

    window = QMainWindow()
    qtbot.addWidget(window)
    triggered = []
    search = QAction("Search", window, shortcut=QKeySequence.StandardKey.Find)
    search.triggered.connect(lambda: (triggered.append(True), view.focus_search()))
    window.addAction(search)
    window.setCentralWidget(QWidget())
    view.setParent(window.centralWidget())
    view.show()
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(triggered), timeout=WAIT)  # not lost as an ambiguous shortcut


def test_the_detail_pane_shows_the_current_row_and_empties_when_the_query_changes(
    qtbot, browse_clinic
):
    view = shown_view(qtbot, browser_for(browse_clinic, "finance", PAYMENTS))
    view.table.setCurrentIndex(view.model.index(2, 0))
    shown = view.detail.texts()
    assert shown == view.model.texts(2) and any(shown)
    view.model.set_search("ben cohen")
    qtbot.waitUntil(lambda: view.model.query.search == "ben cohen", timeout=WAIT)
    assert view.detail.texts() is None
    assert "Select a row" in view.detail.toPlainText()
    qtbot.waitUntil(lambda: view.model.exact and not view.model.loading, timeout=WAIT)


def test_dragging_to_the_middle_fetches_one_page_about_there_not_the_rows_before(
    qtbot, browse_clinic
):
    view = shown_view(qtbot, browser_for(browse_clinic))
    expected = offset_keys(browse_clinic, BOOKINGS, "booking_start_at", True)
    middle = len(expected) // 2
    view.table.scrollTo(view.model.index(middle, 0), view.table.ScrollHint.PositionAtTop)
    qtbot.waitUntil(
        lambda: None not in keys_loaded(view.model, range(middle, middle + 20)), timeout=WAIT
    )
    shown = keys_loaded(view.model, range(middle, middle + 20))
    at = expected.index(shown[0])
    assert shown == expected[at : at + 20]  # a contiguous run of the true order
    assert abs(at - middle) < len(expected) * 0.1  # about where the scroll bar points
    assert view.model.cached_rows <= 3 * 50


def test_a_jump_that_lands_past_the_last_row_shows_the_last_rows(qtbot, browse_clinic):
    # Statistics describe the whole table, not the filtered rows: a jump can aim past them.
    class PastTheEnd(Watched):
        def seek(self, query, *, fraction=None, value=None, limit=200):
            self.threads.append(threading.get_ident())
            return Page(columns=(), rows=(), first=None, last=None, at_start=False, at_end=True)

    browser = PastTheEnd(browser_for(browse_clinic))
    view = shown_view(qtbot, browser)
    expected = offset_keys(browse_clinic, BOOKINGS, "booking_start_at", True)
    row = len(expected) - 70  # far from the first page, not within the last one
    view.table.scrollTo(view.model.index(row, 0), view.table.ScrollHint.PositionAtTop)
    qtbot.waitUntil(lambda: None not in keys_loaded(view.model, range(row, row + 20)), timeout=WAIT)
    assert keys_loaded(view.model, range(row, row + 20)) == expected[row : row + 20]
    calls = len(browser.threads)
    qtbot.wait(300)
    assert len(browser.threads) == calls  # settled: no query after query
