"""BrowseTable: a LazyTableView's table, sorted by a header click, columns fitted to its first rows.

Sorting runs in SQL (the model's query); the widths come from the loaded texts, never the view's.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from backoffice.ui.widgets.lazy_table_model import LazyTableModel

FITTED_FROM_ROWS = 50
WIDEST_COLUMN = 320


class BrowseTable(QTableView):
    """Whole rows selected one at a time; a header click sorts (in SQL) and columns can be moved."""

    def __init__(self, model: LazyTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lazy_model = model
        self._fitted = False
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSectionsMovable(True)
        self.show_sort_indicator()

    def show_sort_indicator(self) -> None:
        """The query's order on the header (the source's default until a header is clicked)."""
        query, source = self._lazy_model.query, self._lazy_model.browser.source
        name = query.sort or source.default_sort
        descending = query.descending if query.sort else source.default_descending
        names = [c.name for c in self._lazy_model.columns]
        header = self.horizontalHeader()
        header.blockSignals(True)  # showing the order must not sort again
        header.setSortIndicator(
            names.index(name),
            Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder,
        )
        header.blockSignals(False)

    def fit_columns_once(self) -> None:
        """Widths from the first rows shown, unless the page restored saved widths already."""
        model, header = self._lazy_model, self.horizontalHeader()
        default = header.defaultSectionSize()
        if self._fitted or model.texts(0) is None:
            return
        self._fitted = True
        if all(header.sectionSize(i) == default for i in range(header.count())):
            # From the loaded texts: asking the view would read (and fetch) a thousand rows.
            metrics = self.fontMetrics()
            first = range(min(model.rowCount(), FITTED_FROM_ROWS))
            rows = [t for t in (model.texts(r) for r in first) if t is not None]
            for column in range(header.count()):
                widest = max((metrics.horizontalAdvance(r[column]) for r in rows), default=0)
                extra = 40 if column == 0 else 24  # the check box; the cell's margins
                width = min(widest + extra, WIDEST_COLUMN)
                header.resizeSection(column, max(width, header.sectionSizeHint(column)))
