"""PageFetcher: the lazy table's rows, fetched page by page on the worker pool, held in a RowCache.

One query at a time is a generation: `open()` starts a new one with its first page and the
planner's estimate, then counts the rows exactly in the background; rows the view asks for are
fetched a few pages at a time. Answers to an older generation are dropped.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from backoffice.services.browse import BrowseQuery, Browser, Page, RowEstimate
from backoffice.ui.tasks import run_op, user_message
from backoffice.ui.widgets.cell_format import Formatter, PreparedRow, formatters, prepare
from backoffice.ui.widgets.row_cache import Request, RowCache

MAX_IN_FLIGHT = 3


class PageFetcher(QObject):
    arrived = Signal()  # rows or a row count arrived: `cache` has changed
    opening_changed = Signal(bool)  # the first page of a new query is on its way (or no longer)
    failed = Signal(str)  # a fetch of the current query failed: the sentence to show

    def __init__(
        self, browser: Browser, *, page_size: int, max_rows: int, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.browser = browser
        self.page_size = page_size
        self._max_rows = max_rows
        self._formats = formatters(browser.columns)
        self.cache = RowCache(page_size=page_size, max_rows=max_rows)
        self.opening = False
        self._generation = 0
        self._query = BrowseQuery()
        self._in_flight: dict[int, Request] = {}
        self._wanted: set[int] = set()
        self._fetch_timer = QTimer(self, singleShot=True, interval=0)
        self._fetch_timer.timeout.connect(self._fetch_wanted)

    @property
    def fetching(self) -> bool:
        """Some page is on its way (the first one, scrolling, a jump)."""
        return self.opening or bool(self._in_flight)

    def restart(self, query: BrowseQuery) -> None:
        """Forget every row and every answer on its way; `open()` then fetches `query`'s rows."""
        self._generation += 1
        self._query = query
        self._in_flight.clear()
        self._wanted.clear()
        self.cache = RowCache(page_size=self.page_size, max_rows=self._max_rows)

    def open(self) -> None:
        """Fetch the first page and the estimated row count of the query `restart` was given."""
        self._set_opening(True)
        generation = self._generation
        work = partial(
            first_page, self.browser, self._query, limit=self.page_size, formats=self._formats
        )
        self._start(work, lambda result: self._on_opened(generation, result), generation)

    def cancel_all(self) -> None:
        """Stop waiting for answers (e.g. the page closes); their results are dropped."""
        self._generation += 1
        self._fetch_timer.stop()
        self._in_flight.clear()
        self._set_opening(False)

    def want(self, row: int) -> None:
        """The view asked for `row`: fetch it soon, with the other rows asked for meanwhile."""
        self._wanted.add(row)
        if not self._fetch_timer.isActive():
            self._fetch_timer.start()

    # --- the first page and the count ------------------------------------------------------
    def _on_opened(
        self, generation: int, result: tuple[Page, RowEstimate, list[PreparedRow]]
    ) -> None:
        if generation != self._generation:
            return
        page, estimate, rows = result
        self._set_opening(False)
        at_least = len(page) + (0 if page.at_end else 1)
        self.cache.set_count(max(estimate.rows, at_least), exact=estimate.exact or page.at_end)
        self.cache.insert(Request("first", (0, self.page_size)), page, rows)
        self.arrived.emit()
        if not self.cache.exact:
            # After the first rows are painted: the count reads every row and competes for the CPU.
            QTimer.singleShot(0, self, lambda: self._count(generation))

    def _count(self, generation: int) -> None:
        if generation != self._generation:
            return
        query, browser = self._query, self.browser
        self._start(
            lambda: browser.exact_count(query),
            lambda n: self._on_counted(generation, n),
            generation,
        )

    def _on_counted(self, generation: int, rows: int) -> None:
        if generation != self._generation:
            return
        self.cache.set_count(rows, exact=True)
        self.arrived.emit()

    # --- the rows the view asks for --------------------------------------------------------
    def _fetch_wanted(self) -> None:
        wanted, self._wanted = sorted(self._wanted), set()
        if self.opening:
            return
        for row in wanted:
            if len(self._in_flight) >= MAX_IN_FLIGHT:
                return
            if self.cache.get(row) is not None or self._pending(row):
                continue
            request = self.cache.plan(row)
            if request is not None:
                self._fetch(request)

    def _pending(self, row: int) -> bool:
        return any(lo <= row < hi for lo, hi in (r.rows for r in self._in_flight.values()))

    def _fetch(self, request: Request) -> None:
        generation = self._generation
        work = partial(
            answer, self.browser, self._query, request, limit=self.page_size, formats=self._formats
        )
        ticket = id(request)
        self._in_flight[ticket] = request
        self._start(
            work,
            lambda result: self._on_page(generation, ticket, result),
            generation,
            ticket=ticket,
        )

    def _on_page(
        self, generation: int, ticket: int, result: tuple[Request, Page, list[PreparedRow]]
    ) -> None:
        if self._in_flight.pop(ticket, None) is None or generation != self._generation:
            return
        request, page, rows = result
        self.cache.insert(request, page, rows)
        self.arrived.emit()

    # --- plumbing --------------------------------------------------------------------------
    def _start(
        self, work: Any, on_success: Any, generation: int, *, ticket: int | None = None
    ) -> None:
        def on_failure(error: BaseException) -> None:
            if ticket is not None:
                self._in_flight.pop(ticket, None)
            if generation == self._generation:
                self._set_opening(False)
                self.failed.emit(user_message(error))

        run_op(work, on_success=on_success, on_failure=on_failure, context=self)

    def _set_opening(self, opening: bool) -> None:
        if opening != self.opening:
            self.opening = opening
            self.opening_changed.emit(opening)


# --- what runs on the worker -------------------------------------------------------------------
def first_page(
    browser: Browser, query: BrowseQuery, *, limit: int, formats: tuple[Formatter, ...]
) -> tuple[Page, RowEstimate, list[PreparedRow]]:
    page, estimate = browser.first_page(query, limit=limit)
    return page, estimate, prepare(page.rows, formats)


def answer(
    browser: Browser,
    query: BrowseQuery,
    request: Request,
    *,
    limit: int,
    formats: tuple[Formatter, ...],
) -> tuple[Request, Page, list[PreparedRow]]:
    """The page `request` asks for, and the request it answers (a seek that lands past the last
    row is answered by the last page)."""
    answered = request
    if request.kind in ("after", "before"):
        side = {request.kind: request.cursor}
        page = browser.page(query, limit=limit, **side)
    elif request.kind == "last":
        page = browser.last_page(query, limit=limit)
    elif request.kind == "seek":
        page = browser.seek(query, fraction=request.fraction, limit=limit)
        if not page.rows:  # landed past the last row (statistics of the whole table)
            answered = replace(request, kind="last")
            page = browser.last_page(query, limit=limit)
    else:
        page = browser.page(query, limit=limit)
    return answered, page, prepare(page.rows, formats)
