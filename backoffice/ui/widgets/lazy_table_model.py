"""LazyTableModel: a Qt table model over a browsable source, fetched page by page on the worker pool.

Rows arrive by keyset pages (`services.browse`) through `PageFetcher`; the row count starts as the
planner's estimate and becomes exact when the background count finishes. Only the rows near what
the view shows are held (`RowCache`), so memory stays flat whatever the table's size. Sorting,
filters and search are done in SQL; every change of query starts a new generation, and answers
to an older generation are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
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

from backoffice.services.browse import BrowseQuery, Browser, Filter, Selection, SourceColumn
from backoffice.ui.widgets.cell_format import RIGHT_ALIGNED
from backoffice.ui.widgets.page_fetcher import PageFetcher
from backoffice.values import zone_name

Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_CHECK = Qt.ItemDataRole.CheckStateRole
_TIP = Qt.ItemDataRole.ToolTipRole
_ANSWERED = frozenset({_DISPLAY, _ALIGNMENT, _CHECK, _TIP, Qt.ItemDataRole.UserRole})
LONG_TEXT = 30  # a cell's text past this many characters may be cut short: the tooltip holds it


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
        self._align = [_RIGHT if c.kind in RIGHT_ALIGNED else _LEFT for c in self.columns]
        self._headers, self._key_at = headers(self.columns), _key_index(browser)
        self._query = BrowseQuery()
        self._selection = Selection(self._query)
        self._rows = 0
        self._pages = PageFetcher(
            browser,
            page_size=page_size,
            max_rows=max(max_cached_rows, 2 * page_size),
            parent=self,
        )
        self._pages.arrived.connect(self._apply_count)
        self._pages.opening_changed.connect(self.loading_changed)
        self._pages.failed.connect(self.failed)
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
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # O(1) and no allocation: the delegate asks about ten roles per cell per paint, most of
        # them answered "nothing" before the row is looked up. (Not multiData: PySide6 6.12's
        # QModelRoleData.setData drops a reference to None on every call, which ends in a crash.)
        if role not in _ANSWERED:
            return None
        row = self._pages.cache.get(index.row())
        if row is None:
            if role == _DISPLAY:
                self._pages.want(index.row())
            return None
        if role == _DISPLAY:
            return row[1][index.column()]
        if role == _TIP:
            text = row[1][index.column()]
            return text if len(text) > LONG_TEXT else None
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
        cache = self._pages.cache
        return not parent.isValid() and not cache.exact and cache.top_needs_more()

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self._pages.cache.set_count(self._rows + self.page_size, exact=False)
            self._apply_count()

    # --- what a page asks ----------------------------------------------------------------
    @property
    def query(self) -> BrowseQuery:
        return self._query

    @property
    def exact(self) -> bool:
        return self._pages.cache.exact

    @property
    def loading(self) -> bool:
        """The first page of the current query has not arrived yet."""
        return self._pages.opening

    @property
    def fetching(self) -> bool:
        """Some page is on its way (scrolling, a jump)."""
        return self._pages.fetching

    @property
    def cached_rows(self) -> int:
        return self._pages.cache.loaded_rows

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
        prepared = self._pages.cache.get(row)
        return prepared[0] if prepared else None

    def texts(self, row: int) -> tuple[str, ...] | None:
        prepared = self._pages.cache.get(row)
        return prepared[1] if prepared else None

    def key(self, row: int) -> Any:
        values = self.values(row)
        return None if values is None else values[self._key_at]

    def cancel_all(self) -> None:
        """Stop waiting for answers (e.g. the page closes); their results are dropped."""
        self._search_timer.stop()
        self._pages.cancel_all()

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

    # --- fetching ------------------------------------------------------------------------
    def _reload(self) -> None:
        self._pages.restart(self._query)
        self._selection = Selection(self._query)
        self.beginResetModel()
        self._rows = 0
        self.endResetModel()
        self._pages.open()
        self.selection_changed.emit()

    def _apply_count(self) -> None:
        """Tell the view how many rows there are now, and that the rows it shows may have changed."""
        new, old = self._pages.cache.row_count, self._rows
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
        self.count_changed.emit(self._rows, self._pages.cache.exact)


def headers(columns: Sequence[SourceColumn]) -> list[str]:
    """Column headers; a moment is in the clinic's zone, and its header says which, once."""
    return [f"{c.label} ({zone_name()})" if c.kind == "datetime" else c.label for c in columns]


def _key_index(browser: Browser) -> int:
    return [c.name for c in browser.columns].index(browser.source.key)
