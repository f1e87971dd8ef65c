"""ExportProgress: a table's rows streamed to a file off the GUI thread, a progress bar and Cancel.

Shown only while an export runs; a cancelled export leaves no file (`services.browse.export_view`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from backoffice.services.browse import BrowseQuery, Browser, export_view
from backoffice.ui.tasks import Op, run_op


class ExportProgress(QWidget):
    finished = Signal(object, int)  # the Path written, the rows in it
    failed = Signal(object)  # the exception (ExportCancelled when cancelled)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._op: Op[int] | None = None
        self.progress = QProgressBar()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)
        self.setVisible(False)

    @property
    def running(self) -> bool:
        return self._op is not None

    def start(self, browser: Browser, query: BrowseQuery, path: Path, *, total: int) -> None:
        """Write every row `query` matches to `path`; `total` (an estimate) sizes the bar."""

        def work(op: Op[int]) -> int:
            return export_view(
                browser, query, path, progress=op.report, cancelled=op.cancel_event.is_set
            )

        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(0)
        self.setVisible(True)
        self._op = run_op(
            work,
            with_op=True,
            context=self,
            on_success=lambda rows: self._on_done(path, rows),
            on_failure=self._on_failed,
            on_progress=self._on_progress,
        )

    def cancel(self) -> None:
        if self._op is not None:
            self._op.cancel()

    def _on_progress(self, written: int) -> None:
        # The total was an estimate: the bar grows when more rows are written than expected.
        self.progress.setMaximum(max(self.progress.maximum(), written))
        self.progress.setValue(written)

    def _on_done(self, path: Path, rows: int) -> None:
        self._stop()
        self.finished.emit(path, rows)

    def _on_failed(self, error: BaseException) -> None:
        self._stop()
        self.failed.emit(error)

    def _stop(self) -> None:
        self._op = None
        self.setVisible(False)
