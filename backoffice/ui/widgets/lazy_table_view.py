"""LazyTableView: search box, lazy table, detail pane, status line and streamed export, for any source.

A list page is one of these over a `services.browse.Browser`; everything that touches the
database goes through the model's `run_op` calls or the export's, never the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.browse import Browser, ExportCancelled
from backoffice.ui.tasks import user_message
from backoffice.ui.widgets.browse_table import BrowseTable
from backoffice.ui.widgets.export_progress import ExportProgress
from backoffice.ui.widgets.lazy_table_model import LazyTableModel
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.ui.widgets.row_detail import RowDetail
from backoffice.values import count_text, counted


class LazyTableView(QWidget):
    """A browsable table: type to search, click a header to sort, Ctrl+End for the last row."""

    export_finished = Signal(str)  # the file written
    export_failed = Signal(str)  # the sentence shown

    def __init__(
        self,
        browser: Browser,
        *,
        page_size: int = 200,
        max_cached_rows: int = 5_000,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.model = LazyTableModel(
            browser, page_size=page_size, max_cached_rows=max_cached_rows, parent=self
        )
        self._count_text = ""
        self._build()
        self._connect()

    # --- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.detail = RowDetail(self.model.columns)
        splitter = QSplitter()
        splitter.addWidget(self._table_or_empty())
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addLayout(self._search_bar())
        layout.addWidget(splitter, 1)
        layout.addLayout(self._footer())

    def _search_bar(self) -> QHBoxLayout:
        self.search_box = QLineEdit(
            placeholderText=f"Search {self.model.browser.source.title.lower()}…"
        )
        self.search_box.setClearButtonEnabled(True)
        self.refresh_button = QPushButton("Refresh")
        self.end_button = QPushButton("Last row")
        self.select_all_button = QPushButton("Select all")
        self.export_csv_button = QPushButton("Export CSV…")
        self.export_xlsx_button = QPushButton("Export XLSX…")
        bar = QHBoxLayout()
        bar.addWidget(self.search_box, 1)
        for button in self._actions():
            bar.addWidget(button)
        return bar

    def _table_or_empty(self) -> QStackedWidget:
        """The table, or in its place a sentence saying why there are no rows."""
        self.table = BrowseTable(self.model)
        self.empty_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)
        return self.stack

    def _footer(self) -> QHBoxLayout:
        self.status = MessageArea("table_status")
        self.export = ExportProgress()
        self.export.finished.connect(self._on_export_finished)
        self.export.failed.connect(self._on_export_failed)
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(self.export)
        return footer

    def _actions(self) -> list[QPushButton]:
        return [
            self.refresh_button,
            self.end_button,
            self.select_all_button,
            self.export_csv_button,
            self.export_xlsx_button,
        ]

    def _connect(self) -> None:
        model = self.model
        model.count_changed.connect(self._on_model_count_changed)
        model.loading_changed.connect(self._on_model_loading_changed)
        model.failed.connect(self._show_error)
        model.selection_changed.connect(self._update_status)
        model.dataChanged.connect(self._on_model_data_changed)
        model.modelReset.connect(lambda: self._show_detail(-1))
        self.search_box.textChanged.connect(model.set_search)
        self.refresh_button.clicked.connect(self.refresh)
        self.end_button.clicked.connect(self.jump_to_end)
        self.select_all_button.clicked.connect(self._on_select_all_button_clicked)
        self.export_csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self.export_xlsx_button.clicked.connect(lambda: self._ask_export("xlsx"))
        self.table.horizontalHeader().sortIndicatorChanged.connect(model.sort)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self._shortcuts = [
            QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search, context=context),
            QShortcut(QKeySequence("Ctrl+End"), self, self.jump_to_end, context=context),
        ]

    def showEvent(self, event: QShowEvent) -> None:
        # A window action on the same keys (the main window's Search calls `focus_search`) would
        # make both ambiguous, and Qt would run neither: leave those keys to the window.
        taken = {
            a.shortcut().toString()
            for a in self.window().findChildren(QAction)
            if a.isEnabled() and not a.shortcut().isEmpty()
        }
        for shortcut in self._shortcuts:
            shortcut.setEnabled(shortcut.key().toString() not in taken)
        super().showEvent(event)

    # --- what the page and the window call -----------------------------------------------
    def open(self) -> None:
        """Load the first page (call once the page is shown)."""
        self.model.refresh()

    def refresh(self) -> None:
        self.model.refresh()

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def jump_to_end(self) -> None:
        """Show the last row: its page is fetched from the end of the order, not scrolled to."""
        rows = self.model.rowCount()
        if rows:
            last = self.model.index(rows - 1, 0)
            self.table.scrollToBottom()
            self.table.setCurrentIndex(last)

    def close_page(self) -> None:
        self.model.cancel_all()
        self.cancel_export()

    # --- model → widgets ------------------------------------------------------------------
    def _on_model_count_changed(self, rows: int, exact: bool) -> None:
        noun = self.model.browser.source.title.lower()
        if rows == 0 and not self.model.loading:
            search = self.model.query.search.strip()
            self.empty_label.setText(
                f"No {noun} match “{search}”." if search else f"No {noun} yet."
            )
            self.stack.setCurrentWidget(self.empty_label)
        else:
            self.stack.setCurrentWidget(self.table)
        self._count_text = counted(rows, "row") if exact else f"about {counted(rows, 'row')}"
        self._update_status()
        self.table.fit_columns_once()

    def _on_model_loading_changed(self, loading: bool) -> None:
        for button in self._actions():
            button.setEnabled(not loading and not self.export.running)
        if loading:
            self.status.show_info("Loading…")
            self.stack.setCurrentWidget(self.table)
        self.table.show_sort_indicator()

    def _update_status(self) -> None:
        if self.model.loading:
            return
        text = self._count_text
        selection = self.model.selection
        if selection.all_matching:
            excluded = len(selection.excluded)
            text += f"; all selected{f' but {count_text(excluded)}' if excluded else ''}"
        elif selection.keys:
            text += f"; {count_text(len(selection.keys))} selected"
        self.status.show_info(text)

    def _show_error(self, message: str) -> None:
        self.status.show_error(message)

    def _on_table_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._show_detail(current.row())

    def _on_model_data_changed(self, *args: object) -> None:
        current = self.table.currentIndex()
        if current.isValid() and self.detail.is_empty():
            self._show_detail(current.row())

    def _show_detail(self, row: int) -> None:
        self.detail.show_texts(self.model.texts(row) if row >= 0 else None)

    def _on_select_all_button_clicked(self) -> None:
        if self.model.selection.all_matching:
            self.model.clear_selection()
        else:
            self.model.select_all()

    # --- export ---------------------------------------------------------------------------
    def _ask_export(self, kind: str) -> None:
        name = f"{self.model.browser.source.name}.{kind}"
        path, _ = QFileDialog.getSaveFileName(self, "Export", name, f"{kind.upper()} (*.{kind})")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write every row matching the current search and filters to `path`, off the GUI thread."""
        for button in self._actions():
            button.setEnabled(False)
        self.export.start(self.model.browser, self.model.query, path, total=self.model.rowCount())

    def cancel_export(self) -> None:
        self.export.cancel()

    def _on_export_finished(self, path: Path, rows: int) -> None:
        self._end_export()
        self.status.show_info(f"Exported {counted(rows, 'row')} to {path.name}.")
        self.export_finished.emit(str(path))

    def _on_export_failed(self, error: BaseException) -> None:
        self._end_export()
        message = user_message(error)
        if isinstance(error, ExportCancelled):
            self.status.show_info(message)
        else:
            self._show_error(message)
        self.export_failed.emit(message)

    def _end_export(self) -> None:
        for button in self._actions():
            button.setEnabled(not self.model.loading)
