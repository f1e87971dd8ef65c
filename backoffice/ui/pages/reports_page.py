"""ReportsPage: the reports the signed-in role may run, a period, filters, format and page size.

Run first checks the period and filters (a period that ends before it starts is refused before
anything else) and a clinical PDF's password (typed twice), then asks where to save, then builds
and renders the report on a worker (`run_op`), with a progress bar and Cancel; a cancelled report
leaves no file. Success says "Saved …" with an Open folder button; a failure shows the error's own
sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import ValidationError
from backoffice.services.login import StaffSession
from backoffice.services.reports import (
    ReportCancelledError,
    ReportInfo,
    ReportResult,
    check_report_fields,
    list_report_therapists,
    list_reports,
    run_report,
)
from backoffice.ui.pages.report_fields import ReportFields
from backoffice.ui.qt_helpers import named
from backoffice.ui.read_server import Read, build_report, show_read_note
from backoffice.ui.tasks import Op, run_op, user_message
from backoffice.ui.widgets.message_area import MessageArea

Runner = Callable[..., ReportResult]


class ReportsPage(QWidget):
    """Pick a report, its period and filters; Run saves it to a file chosen by the person."""

    report_saved = Signal(object)  # the ReportResult
    report_failed = Signal(str)  # the sentence shown (also "cancelled")

    def __init__(
        self, session: StaffSession, *, runner: Runner = run_report, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session, self._runner = session, runner
        self.reports = list_reports(session.actor)
        self._op: Op[Read[ReportResult]] | None = None
        self._folder: Path = Path.home()
        self._therapists_loaded = False
        self._build()
        self.report_list.setCurrentRow(0)

    # --- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.report_list = named(QListWidget(), "reports_list")
        for info in self.reports:
            self.report_list.addItem(info.title)
        self.report_list.setMaximumWidth(260)
        self.report_list.currentRowChanged.connect(self._on_report_list_current_row_changed)
        self.description = named(QLabel(), "reports_description", wordWrap=True)
        self.fields = ReportFields()
        self.fields.setMaximumWidth(520)
        self.fields.format.currentIndexChanged.connect(lambda _i: self._update_fields())
        self.fields.protect.toggled.connect(lambda _on: self._update_fields())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Reports</h2>"))
        body = QHBoxLayout()
        body.addWidget(self.report_list)
        right = QVBoxLayout()
        right.addWidget(self.description)
        right.addWidget(self.fields)
        right.addLayout(self._run_bar())
        right.addStretch(1)
        body.addLayout(right, 1)
        layout.addLayout(body, 1)
        self.status.clear_error_on(
            self.report_list.currentRowChanged,
            self.fields.from_date.dateChanged,
            self.fields.to_date.dateChanged,
            self.fields.client.textEdited,
        )

    def _run_bar(self) -> QVBoxLayout:
        self.run_button = named(
            QPushButton("Run…"),
            "reports_run",
            toolTip="Choose where to save the report, then build it",
        )
        self.run_button.clicked.connect(self._on_run_button_clicked)
        self.progress = named(QProgressBar(), "reports_progress")
        self.progress.setVisible(False)
        self.cancel_button = named(QPushButton("Cancel"), "reports_cancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.status = MessageArea("reports_status")
        self.open_folder_button = named(QPushButton("Open folder"), "reports_open_folder")
        self.open_folder_button.setVisible(False)
        self.open_folder_button.clicked.connect(self._on_open_folder_button_clicked)
        bar = QHBoxLayout()
        bar.addWidget(self.run_button)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        bar.addStretch(0)
        done = QHBoxLayout()
        done.addWidget(self.status, 1)
        done.addWidget(self.open_folder_button)
        box = QVBoxLayout()
        box.addLayout(bar)
        box.addLayout(done)
        return box

    # --- state ----------------------------------------------------------------------------
    @property
    def current(self) -> ReportInfo | None:
        row = self.report_list.currentRow()
        return self.reports[row] if 0 <= row < len(self.reports) else None

    def select(self, name: str) -> None:
        self.report_list.setCurrentRow([i.name for i in self.reports].index(name))

    def is_running(self) -> bool:
        return self._op is not None

    def _on_report_list_current_row_changed(self, _row: int) -> None:
        info = self.current
        text = info.description if info else "No reports for your role."
        if info and info.clinical:
            text += " Clinical: every page carries a confidentiality notice."
        self.description.setText(text)
        self._update_fields()

    def _update_fields(self) -> None:
        info, idle = self.current, self._op is None
        self.fields.show_rows_for(info)
        self.report_list.setEnabled(idle)
        self.fields.set_editable(idle)
        self.run_button.setEnabled(idle and info is not None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._therapists_loaded and any(i.takes_therapist for i in self.reports):
            self._therapists_loaded = True
            session = self.session

            def load() -> tuple[tuple[str, str], ...]:
                with session.unit_of_work() as uow:
                    return list_report_therapists(uow, session.actor)

            run_op(
                load,
                on_success=self._on_therapists_loaded,
                on_failure=lambda error: self._show(user_message(error), error=True),
                context=self,
            )

    def _on_therapists_loaded(self, therapists: tuple[tuple[str, str], ...]) -> None:
        self.fields.offer_therapists(therapists)

    # --- running --------------------------------------------------------------------------
    def suggested_name(self) -> str:
        info = self.current
        assert info is not None
        return self.fields.file_name(info)

    def problem(self) -> str | None:
        """What stops the report before a file is asked for (the period, a filter), or None."""
        info = self.current
        if info is None:
            return "Choose a report."
        arguments = self.fields.arguments(info, self._folder / self.suggested_name())
        try:
            check_report_fields(
                name=info.name,
                period_from=arguments["period_from"],
                period_to=arguments["period_to"],
                therapist_id=arguments["therapist_id"],
                client_id=arguments["client_id"],
            )
        except ValidationError as error:
            return str(error)
        return None

    def _on_run_button_clicked(self) -> None:
        problem = self.problem()
        if problem:
            self._show(problem, error=True)
            return
        info = self.current
        if info is None or self._arguments(info, self._folder) is None:
            return  # a password typed twice differently is told before the file is chosen
        kind = self.fields.format.currentData()
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Save the report",
            str(self._folder / self.suggested_name()),
            f"{kind.upper()} (*.{kind})",
        )
        if path:
            self.run_to(Path(path))

    def run_to(self, path: Path) -> None:
        """Build the current report into `path` on a worker (what Run does once a file is chosen)."""
        info = self.current
        if info is None or self._op is not None:
            return
        arguments = self._arguments(info, path)
        if arguments is None:
            return
        work = partial(build_report, self.session, self._runner, arguments)
        self._folder = path.parent
        self._show_running()
        self._op = run_op(
            work,
            with_op=True,
            context=self,
            on_success=self._on_run_succeeded,
            on_failure=self._on_run_failed,
            on_progress=self._on_run_progressed,
        )
        self._update_fields()

    def _arguments(self, info: ReportInfo, path: Path) -> dict[str, Any] | None:
        """`run_report`'s arguments from the fields, or None once the status said what is wrong."""
        try:
            password = self.fields.password(info)
        except ValidationError as error:
            self._show(str(error), error=True)
            return None
        arguments = self.fields.arguments(info, path)
        return arguments if password is None else {**arguments, "password": password}

    def _show_running(self) -> None:
        self._show("Building the report…", error=False)
        self.open_folder_button.setVisible(False)
        self.progress.setRange(0, 0)  # busy until the first rows are counted
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)

    def cancel(self) -> None:
        if self._op is not None:
            self._op.cancel()
            self.cancel_button.setEnabled(False)
            self._show("Cancelling…", error=False)

    def _on_run_progressed(self, value: tuple[int, int]) -> None:
        done, total = value
        self.progress.setRange(0, max(total, done, 1))
        self.progress.setValue(done)

    def _on_run_succeeded(self, read: Read[ReportResult]) -> None:
        result = read.value
        show_read_note(self, read.note)  # the read-only server was passed over: why
        self._finish()
        self._show(result.message if result.empty else f"Saved {result.path}.", error=False)
        self.open_folder_button.setVisible(True)
        self.report_saved.emit(result)

    def _on_run_failed(self, error: BaseException) -> None:
        self._finish()
        message = user_message(error)
        self._show(message, error=not isinstance(error, ReportCancelledError))
        self.report_failed.emit(message)

    def _finish(self) -> None:
        self._op = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self._update_fields()

    def _show(self, text: str, *, error: bool) -> None:
        self.status.show_message(text, error)

    def _on_open_folder_button_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._folder)))
