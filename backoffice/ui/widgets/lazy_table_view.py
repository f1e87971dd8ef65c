"""LazyTableView: search box, lazy table, detail pane, status line and streamed export, for any source.

A list page is one of these over a `services.browse.Browser`; everything that touches the
database goes through the model's `run_op` calls or the export's, never the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.browse import Browser, ExportCancelled, export_view
from backoffice.ui.tasks import Op, run_op, user_message
from backoffice.ui.widgets.lazy_table_model import LazyTableModel
from backoffice.values import count_text


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
        self._export_op: Op[int] | None = None
        self._count_text = ""
        self._fitted = False
        self._build()
        self._connect()

    # --- layout --------------------------------------------------------------------------
    def _build(self) -> None:
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

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSectionsMovable(True)
        self._show_sort_indicator()

        self.empty_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        self.detail = QWidget()
        self.detail_form = QFormLayout(self.detail)
        self.detail_values: list[QLabel] = []
        for column in self.model.columns:
            value = QLabel(wordWrap=True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.detail_form.addRow(f"{column.label}:", value)
            self.detail_values.append(value)
        splitter = QSplitter()
        splitter.addWidget(self.stack)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.splitter = splitter

        self.status = QLabel()
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setVisible(False)
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(self.progress)
        footer.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)

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
        self.cancel_button.clicked.connect(self.cancel_export)
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
        self._count_text = f"{count_text(rows)} rows" if exact else f"about {count_text(rows)} rows"
        self._update_status()
        self._fit_columns_once()

    def _fit_columns_once(self) -> None:
        """Widths from the first rows shown, unless the page restored saved widths already."""
        header = self.table.horizontalHeader()
        default = header.defaultSectionSize()
        if self._fitted or self.model.texts(0) is None:
            return
        self._fitted = True
        if all(header.sectionSize(i) == default for i in range(header.count())):
            # From the loaded texts: asking the view would read (and fetch) a thousand rows.
            metrics = self.table.fontMetrics()
            rows = [
                t
                for t in (self.model.texts(r) for r in range(min(self.model.rowCount(), 50)))
                if t is not None
            ]
            for column in range(header.count()):
                widest = max((metrics.horizontalAdvance(r[column]) for r in rows), default=0)
                extra = 40 if column == 0 else 24  # the check box; the cell's margins
                width = min(widest + extra, 320)
                header.resizeSection(column, max(width, header.sectionSizeHint(column)))

    def _on_model_loading_changed(self, loading: bool) -> None:
        for button in self._actions():
            button.setEnabled(not loading and self._export_op is None)
        if loading:
            self.status.setText("Loading…")
            self.stack.setCurrentWidget(self.table)
        self._show_sort_indicator()

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
        self.status.setStyleSheet("")
        self.status.setText(text)

    def _show_error(self, message: str) -> None:
        self.status.setStyleSheet("color: palette(highlight);")
        self.status.setText(message)

    def _show_sort_indicator(self) -> None:
        query, source = self.model.query, self.model.browser.source
        name = query.sort or source.default_sort
        descending = query.descending if query.sort else source.default_descending
        names = [c.name for c in self.model.columns]
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(
            names.index(name),
            Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder,
        )
        header.blockSignals(False)

    def _on_table_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._show_detail(current.row())

    def _on_model_data_changed(self, *args: object) -> None:
        current = self.table.currentIndex()
        if current.isValid() and not self.detail_values[0].text():
            self._show_detail(current.row())

    def _show_detail(self, row: int) -> None:
        texts = self.model.texts(row) if row >= 0 else None
        for label, text in zip(
            self.detail_values, texts or [""] * len(self.detail_values), strict=True
        ):
            label.setText(text)

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
        browser, query, total = self.model.browser, self.model.query, self.model.rowCount()

        def work(op: Op[int]) -> int:
            return export_view(
                browser, query, path, progress=op.report, cancelled=op.cancel_event.is_set
            )

        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        for button in self._actions():
            button.setEnabled(False)
        self._export_op = run_op(
            work,
            with_op=True,
            context=self,
            on_success=lambda rows: self._on_export_done(path, rows),
            on_failure=self._on_export_failed,
            on_progress=self._on_export_progress,
        )

    def cancel_export(self) -> None:
        if self._export_op is not None:
            self._export_op.cancel()

    def _on_export_progress(self, written: int) -> None:
        self.progress.setMaximum(max(self.progress.maximum(), written))
        self.progress.setValue(written)

    def _on_export_done(self, path: Path, rows: int) -> None:
        self._end_export()
        self.status.setText(f"Exported {count_text(rows)} rows to {path.name}.")
        self.export_finished.emit(str(path))

    def _on_export_failed(self, error: BaseException) -> None:
        self._end_export()
        message = user_message(error)
        if isinstance(error, ExportCancelled):
            self.status.setText(message)
        else:
            self._show_error(message)
        self.export_failed.emit(message)

    def _end_export(self) -> None:
        self._export_op = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        for button in self._actions():
            button.setEnabled(not self.model.loading)
