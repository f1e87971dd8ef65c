"""LazyTableModel: a Qt table model over a browsable source, fetched page by page on the worker pool.

Rows arrive by keyset pages (`services.browse`) through `run_op`; the row count starts as the
planner's estimate and becomes exact when the background count finishes. Only the rows near what
the view shows are held (`RowCache`), so memory stays flat whatever the table's size. Sorting,
filters and search are done in SQL; every change of query starts a new generation, and answers
to an older generation are dropped.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from backoffice.services.browse import BrowseQuery, Browser, Filter, Page, RowEstimate, Selection
from backoffice.ui.tasks import run_op, user_message
from backoffice.ui.widgets.cell_format import RIGHT_ALIGNED, PreparedRow, formatters, prepare
from backoffice.ui.widgets.row_cache import Request, RowCache

Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
MAX_IN_FLIGHT = 3
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_CHECK = Qt.ItemDataRole.CheckStateRole
_ANSWERED = frozenset({_DISPLAY, _ALIGNMENT, _CHECK, Qt.ItemDataRole.UserRole})


class LazyTableModel(QAbstractTableModel):
    """Rows of `browser.source` for `browser.actor`; call `refresh()` once to open it."""

    count_changed = Signal(int, bool)  # rows, exact
    loading_changed = Signal(bool)  # opening: the first page of a new query is on its way
    failed = Signal(str)
    selection_changed = Signal()

    def __init__(
        self,
        browser: Browser,
        *,
        page_size: int = 200,
        max_cached_rows: int = 5_000,
        search_delay_ms: int = 250,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.browser = browser
        self.columns = browser.columns
        self.page_size = page_size
        self._max_cached = max(max_cached_rows, 2 * page_size)
        self._formats = formatters(self.columns)
        self._align = [_RIGHT if c.kind in RIGHT_ALIGNED else _LEFT for c in self.columns]
        self._key_at = [c.name for c in self.columns].index(browser.source.key)
        self._query = BrowseQuery()
        self._selection = Selection(self._query)
        self._generation = 0
        self._rows = 0
        self._opening = False
        self._cache = RowCache(page_size=page_size, max_rows=self._max_cached)
        self._in_flight: dict[int, Request] = {}
        self._wanted: set[int] = set()
        self._fetch_timer = QTimer(self, singleShot=True, interval=0)
        self._fetch_timer.timeout.connect(self._fetch_wanted)
        self._search_timer = QTimer(self, singleShot=True, interval=search_delay_ms)
        self._search_timer.timeout.connect(self._apply_search)
        self._pending_search = ""

    # --- what the view asks --------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].label
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # O(1) and no allocation: the delegate asks about ten roles per cell per paint, most of
        # them answered "nothing" before the row is looked up. (Not multiData: PySide6 6.12's
        # QModelRoleData.setData drops a reference to None on every call, which ends in a crash.)
        if role not in _ANSWERED:
            return None
        row = self._cache.get(index.row())
        if row is None:
            if role == _DISPLAY:
                self._want(index.row())
            return None
        if role == _DISPLAY:
            return row[1][index.column()]
        if role == _ALIGNMENT:
            return self._align[index.column()]
        if role == _CHECK:
            if index.column() != 0:
                return None
            selected = self._selection.contains(row[0][self._key_at])
            return Qt.CheckState.Checked if selected else Qt.CheckState.Unchecked
        return row[0][index.column()]  # UserRole: the value itself

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        return self.toggle_row(index.row())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or not self.columns[column].sortable:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(self._query.sorted_by(self.columns[column].name, descending=descending))

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._cache.exact and self._cache.top_needs_more()

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self._cache.set_count(self._rows + self.page_size, exact=False)
            self._apply_count()

    # --- what a page asks ----------------------------------------------------------------
    @property
    def query(self) -> BrowseQuery:
        return self._query

    @property
    def exact(self) -> bool:
        return self._cache.exact

    @property
    def loading(self) -> bool:
        """The first page of the current query has not arrived yet."""
        return self._opening

    @property
    def fetching(self) -> bool:
        """Some page is on its way (scrolling, a jump)."""
        return self._opening or bool(self._in_flight)

    @property
    def cached_rows(self) -> int:
        return self._cache.loaded_rows

    def refresh(self) -> None:
        self._reload()

    def set_query(self, query: BrowseQuery) -> None:
        self._query = query
        self._reload()

    def set_filters(self, *filters: Filter) -> None:
        self.set_query(self._query.filtered(*filters))

    def set_search(self, text: str) -> None:
        """Search as the person types: the query runs once typing pauses."""
        self._pending_search = text
        self._search_timer.start()

    def _apply_search(self) -> None:
        if self._pending_search != self._query.search:
            self.set_query(self._query.searching(self._pending_search))

    def values(self, row: int) -> tuple[Any, ...] | None:
        prepared = self._cache.get(row)
        return prepared[0] if prepared else None

    def texts(self, row: int) -> tuple[str, ...] | None:
        prepared = self._cache.get(row)
        return prepared[1] if prepared else None

    def key(self, row: int) -> Any:
        values = self.values(row)
        return None if values is None else values[self._key_at]

    def cancel_all(self) -> None:
        """Stop waiting for answers (e.g. the page closes); their results are dropped."""
        self._generation += 1
        self._search_timer.stop()
        self._fetch_timer.stop()
        self._in_flight.clear()
        self._set_opening(False)

    # --- selection that holds the filter -------------------------------------------------
    @property
    def selection(self) -> Selection:
        return self._selection

    def select_all(self) -> None:
        self._set_selection(Selection.everything(self._query))

    def clear_selection(self) -> None:
        self._set_selection(Selection(self._query))

    def toggle_row(self, row: int) -> bool:
        key = self.key(row)
        if key is None:
            return False
        self._set_selection(self._selection.toggled(key))
        return True

    def _set_selection(self, selection: Selection) -> None:
        self._selection = selection
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self._rows - 1, 0), [Qt.ItemDataRole.CheckStateRole]
            )
        self.selection_changed.emit()

    # --- fetching --------------------------------------------------------------------------
    def _reload(self) -> None:
        self._generation += 1
        generation, query = self._generation, self._query
        self._in_flight.clear()
        self._wanted.clear()
        self._selection = Selection(query)
        self.beginResetModel()
        self._cache = RowCache(page_size=self.page_size, max_rows=self._max_cached)
        self._rows = 0
        self.endResetModel()
        self._set_opening(True)
        browser, fmts, limit = self.browser, self._formats, self.page_size

        def work() -> tuple[Page, RowEstimate, list[PreparedRow]]:
            page, estimate = browser.first_page(query, limit=limit)
            return page, estimate, prepare(page.rows, fmts)

        self._start(work, lambda result: self._on_opened(generation, result), generation)
        self.selection_changed.emit()

    def _on_opened(
        self, generation: int, result: tuple[Page, RowEstimate, list[PreparedRow]]
    ) -> None:
        if generation != self._generation:
            return
        page, estimate, rows = result
        self._set_opening(False)
        at_least = len(page) + (0 if page.at_end else 1)
        self._cache.set_count(max(estimate.rows, at_least), exact=estimate.exact or page.at_end)
        self._cache.insert(Request("first", (0, self.page_size)), page, rows)
        self._apply_count()
        if not self._cache.exact:
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
        self._cache.set_count(rows, exact=True)
        self._apply_count()

    def _want(self, row: int) -> None:
        self._wanted.add(row)
        if not self._fetch_timer.isActive():
            self._fetch_timer.start()

    def _fetch_wanted(self) -> None:
        wanted, self._wanted = sorted(self._wanted), set()
        if self._opening:
            return
        for row in wanted:
            if len(self._in_flight) >= MAX_IN_FLIGHT:
                return
            if self._cache.get(row) is not None or self._pending(row):
                continue
            request = self._cache.plan(row)
            if request is not None:
                self._fetch(request)

    def _pending(self, row: int) -> bool:
        return any(lo <= row < hi for lo, hi in (r.rows for r in self._in_flight.values()))

    def _fetch(self, request: Request) -> None:
        generation, query, browser = self._generation, self._query, self.browser
        fmts, limit = self._formats, self.page_size

        def work() -> tuple[Request, Page, list[PreparedRow]]:
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
            return answered, page, prepare(page.rows, fmts)

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
        self._cache.insert(request, page, rows)
        self._apply_count()

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

    def _apply_count(self) -> None:
        """Tell the view how many rows there are now, and that the rows it shows may have changed."""
        new, old = self._cache.row_count, self._rows
        if new > old:
            self.beginInsertRows(QModelIndex(), old, new - 1)
            self._rows = new
            self.endInsertRows()
        elif new < old:
            self.beginRemoveRows(QModelIndex(), new, old - 1)
            self._rows = new
            self.endRemoveRows()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self._rows - 1, len(self.columns) - 1)
            )
        self.count_changed.emit(self._rows, self._cache.exact)

    def _set_opening(self, opening: bool) -> None:
        if opening != self._opening:
            self._opening = opening
            self.loading_changed.emit(self.loading)
