"""TransferDialog: move one client, or a therapist's whole caseload, to other active therapists.

One client: choose the therapist, the effective date, the reason (required), a handover note and
whether the new therapist may read past notes. A caseload: all to one therapist or spread by
remaining capacity, previewed (who goes where, what moves, capacity after) before anything changes;
changing a choice discards the preview. The form is checked on the GUI thread, the person confirms,
the service runs through `run_op`, and a refusal shows the error's own sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.login import StaffSession
from backoffice.services.therapists import TherapistRow, list_therapists
from backoffice.services.transfers import (
    CaseloadPreview,
    ClientRow,
    PlannedMove,
    find_clients,
    preview_caseload_transfer,
    transfer_caseload,
    transfer_client,
)
from backoffice.ui.qt_helpers import named
from backoffice.ui.service_call import call
from backoffice.ui.tasks import run_op, user_message
from backoffice.ui.widgets.record_table_model import Column, RecordTableModel
from backoffice.values import moment_text

Confirm = Callable[[QWidget, str], bool]
PREVIEW_COLUMNS: tuple[Column[PlannedMove], ...] = (
    Column("Client", lambda m: m.client_name),
    Column("Goes to", lambda m: m.to_therapist_name),
    Column("Appointments", lambda m: str(m.appointments), numeric=True),
    Column("Bookings", lambda m: str(m.bookings), numeric=True),
    Column("Sessions to come", lambda m: "yes" if m.active else "no"),
)


def ask_to_confirm(parent: QWidget, text: str) -> bool:
    return QMessageBox.question(parent, "Transfer", text) == QMessageBox.StandardButton.Yes


def therapist_label(t: TherapistRow) -> str:
    return f"{t.name} ({t.therapist_id}) — {t.active_clients} of {t.capacity} clients"


class TransferDialog(QDialog):
    transferred = Signal(object)  # TransferResult or CaseloadTransferResult
    failed = Signal(str)  # the sentence shown

    def __init__(
        self,
        session: StaffSession,
        *,
        client_id: str | None = None,
        from_therapist_id: str | None = None,
        confirm: Confirm = ask_to_confirm,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if (client_id is None) == (from_therapist_id is None):
            raise ValueError("a transfer is of one client or of one therapist's caseload")
        self.session, self._confirm = session, confirm
        self.client_id, self.from_therapist_id = client_id, from_therapist_id
        self.bulk = from_therapist_id is not None
        self.client: ClientRow | None = None
        self.therapists: tuple[TherapistRow, ...] = ()
        self.preview: CaseloadPreview | None = None
        self.result: Any = None
        self._busy = 0
        self.setWindowTitle("Transfer a caseload" if self.bulk else "Transfer a client")
        self._build()
        self._start(self._load, self._on_loaded)

    # --- the form -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = named(QLabel("Loading…"), "transfer_heading", wordWrap=True)
        self.target = named(QComboBox(), "transfer_target")
        self.all_to_one = named(
            QRadioButton("All to one therapist"), "transfer_all_to_one", checked=True
        )
        self.spread = named(QRadioButton("Spread by remaining capacity over:"), "transfer_spread")
        self.targets = named(QListWidget(), "transfer_targets", maximumHeight=110)
        self.effective = named(
            QDateEdit(QDate.currentDate()), "transfer_effective", calendarPopup=True
        )
        self.reason = named(
            QLineEdit(), "transfer_reason", placeholderText="Why the client moves (required)"
        )
        self.note = named(
            QPlainTextEdit(),
            "transfer_note",
            maximumHeight=60,
            placeholderText="Handover note for the new therapist",
        )
        self.share = named(
            QCheckBox("The new therapist may read past session notes"), "transfer_share"
        )
        self.override = named(
            QLineEdit(),
            "transfer_override",
            placeholderText="Reason to exceed capacity (only if needed)",
        )
        self.preview_button = named(QPushButton("Preview"), "transfer_preview")
        self.preview_model: RecordTableModel[PlannedMove] = RecordTableModel(PREVIEW_COLUMNS)
        self.preview_table = named(QTableView(), "transfer_preview_table")
        self.preview_table.setModel(self.preview_model)
        self.preview_table.verticalHeader().hide()
        self.loads = named(QLabel(), "transfer_loads", wordWrap=True)
        self.error = named(QLabel(), "transfer_error", wordWrap=True)
        self.error.setStyleSheet("color: palette(highlight); font-weight: bold;")
        self.submit = named(QPushButton("Transfer"), "transfer_submit", default=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.submit, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.submit.clicked.connect(self._on_submit_clicked)
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        form = QFormLayout()
        if self.bulk:
            form.addRow(self.all_to_one, self.target)
            form.addRow(self.spread, self.targets)
        else:
            form.addRow("New therapist:", self.target)
        form.addRow("Effective from:", self.effective)
        form.addRow("Reason:", self.reason)
        form.addRow("Handover note:", self.note)
        form.addRow("", self.share)
        form.addRow("Over capacity:", self.override)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        if self.bulk:
            layout.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(self.preview_table, 1)
            layout.addWidget(self.loads)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        for signal in (
            self.target.currentIndexChanged,
            self.all_to_one.toggled,
            self.targets.itemChanged,
            self.effective.dateChanged,
        ):
            signal.connect(self._discard_preview)
        self.resize(720, 640 if self.bulk else 420)
        self._update_buttons()

    def _load(self) -> tuple[tuple[TherapistRow, ...], ClientRow | None]:
        therapists = call(self.session, list_therapists)
        if self.client_id is None:
            return therapists, None
        found = call(self.session, find_clients, client_id=self.client_id)
        return therapists, found[0] if found else None

    def _on_loaded(self, loaded: tuple[tuple[TherapistRow, ...], ClientRow | None]) -> None:
        self.therapists, self.client = loaded
        giving = (
            self.from_therapist_id
            if self.bulk
            else (self.client.therapist_id if self.client else None)
        )
        if not self.bulk and self.client is None:
            self._show_error(f"There is no client with the id {self.client_id}.")
            return
        if self.client is not None:
            self.heading.setText(
                f"<b>{self.client.name}</b> ({self.client.client_id}), now with "
                f"{self.client.therapist_name or 'no therapist'}."
            )
        else:
            name = next((t.name for t in self.therapists if t.therapist_id == giving), giving)
            self.heading.setText(f"The whole caseload of <b>{name}</b> ({giving}).")
        for t in self.therapists:
            if t.therapist_id == giving or not t.is_active:
                continue
            self.target.addItem(therapist_label(t), t.therapist_id)
            item = QListWidgetItem(therapist_label(t))
            item.setData(Qt.ItemDataRole.UserRole, t.therapist_id)
            item.setCheckState(Qt.CheckState.Checked)
            self.targets.addItem(item)
        self._discard_preview()

    def choose_target(self, therapist_id: str) -> None:
        self.target.setCurrentIndex(self.target.findData(therapist_id))

    def chosen_targets(self) -> list[str]:
        if not self.bulk or self.all_to_one.isChecked():
            return [self.target.currentData()] if self.target.currentData() else []
        items = (self.targets.item(i) for i in range(self.targets.count()))
        return [
            i.data(Qt.ItemDataRole.UserRole)
            for i in items
            if i.checkState() == Qt.CheckState.Checked
        ]

    def effective_date(self) -> dt.date:
        chosen = self.effective.date()
        return dt.date(chosen.year(), chosen.month(), chosen.day())

    def problem(self) -> str | None:
        """The sentence that stops the transfer before anything is sent, or None."""
        if not self.chosen_targets():
            return (
                "Choose the therapist who takes the clients."
                if self.bulk
                else "Choose the new therapist."
            )
        if not self.reason.text().strip():
            return "Give the reason for the transfer."
        if self.bulk and self.preview is None:
            return "Preview the transfer first: nothing changes until you confirm it."
        over = self.preview.over_capacity if self.preview else ()
        if over and not self.override.text().strip():
            return f"{over[0].name} would be over capacity: give a reason to override, or spread differently."
        return None

    # --- preview and transfer -------------------------------------------------------------------
    def _on_preview_button_clicked(self) -> None:
        targets = self.chosen_targets()
        if not targets:
            self._show_error("Choose the therapist who takes the clients.")
            return
        work = partial(
            call,
            self.session,
            preview_caseload_transfer,
            from_therapist_id=self.from_therapist_id,
            to_therapist_ids=targets,
            spread_by_capacity=self.spread.isChecked(),
            effective_date=self.effective_date(),
        )
        self._start(work, self._on_previewed)

    def _on_previewed(self, preview: CaseloadPreview) -> None:
        self.preview = preview
        self.preview_model.set_records(preview.moves)
        self.loads.setText(
            "<br>".join(
                f"{t.name}: {t.clients_received} clients, {t.active_before} → {t.active_after} of "
                f"{t.capacity} with sessions to come"
                + (" — <b>over capacity</b>" if t.over_capacity else "")
                for t in preview.targets
            )
            + f"<br>{preview.appointments} appointments and {preview.bookings} bookings move "
            f"from {moment_text(preview.moved_from)}."
        )
        self._show_error("")

    def _discard_preview(self, *_args: object) -> None:
        self.preview = None
        self.preview_model.set_records(())
        self.loads.setText("")
        self._update_buttons()

    def _on_submit_clicked(self) -> None:
        if self.is_busy():
            return
        problem = self.problem()
        if problem:
            self._show_error(problem)
            return
        common = {
            "reason": self.reason.text().strip(),
            "handover_note": self.note.toPlainText().strip() or None,
            "share_past_notes": self.share.isChecked(),
            "capacity_override_reason": self.override.text().strip() or None,
        }
        work: Callable[[], Any]
        if self.preview is not None:
            question = (
                f"Transfer the {len(self.preview.moves)} clients of "
                f"{self.preview.from_therapist_name} as previewed?"
            )
            work = partial(call, self.session, transfer_caseload, preview=self.preview, **common)
        else:
            assert self.client is not None
            question = f"Transfer {self.client.name} to {self.target.currentText().split(' (')[0]}?"
            work = partial(
                call,
                self.session,
                transfer_client,
                client_id=self.client.client_id,
                to_therapist_id=self.chosen_targets()[0],
                effective_date=self.effective_date(),
                expected_from_therapist_id=self.client.therapist_id,
                **common,
            )
        if self._confirm(self, question):
            self._start(work, self._on_transferred)

    def _on_transferred(self, result: Any) -> None:
        self.result = result
        self.transferred.emit(result)
        self.accept()

    # --- plumbing -------------------------------------------------------------------------------
    def is_busy(self) -> bool:
        return self._busy > 0

    def _update_buttons(self) -> None:
        self.submit.setEnabled(not self.is_busy() and bool(self.therapists))
        self.preview_button.setEnabled(not self.is_busy() and bool(self.therapists))

    def _start(self, work: Any, on_success: Any) -> None:
        self._busy += 1
        self._update_buttons()

        def succeeded(value: Any) -> None:
            self._busy -= 1
            on_success(value)
            self._update_buttons()

        def failed(error: BaseException) -> None:
            self._busy -= 1
            self._show_error(user_message(error))
            self.failed.emit(self.error.text())
            self._update_buttons()

        run_op(work, on_success=succeeded, on_failure=failed, context=self)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
