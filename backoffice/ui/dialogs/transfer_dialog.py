"""TransferDialog: move one client, or a therapist's whole caseload, to other active therapists.

One client: choose the therapist, the effective date, the reason (required), a handover note and
whether the new therapist may read past notes. A caseload: all to one therapist or spread by
remaining capacity, previewed (who goes where, what moves, capacity after) before anything changes;
changing a choice discards the preview. The form is checked on the GUI thread, the person confirms
(the client, both therapists and the date in the sentence), the service runs through `run_op`, and a
refusal shows the error's own sentence. Enter is Transfer, never Cancel: typed text is never lost.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.login import StaffSession
from backoffice.services.therapists import TherapistRow, list_therapists
from backoffice.services.transfers import (
    CaseloadPreview,
    CaseloadTransferResult,
    ClientRow,
    PlannedMove,
    TransferResult,
    find_clients,
    preview_caseload_transfer,
    transfer_caseload,
    transfer_client,
)
from backoffice.ui.dialogs.questions import Confirm, action_buttons, confirm
from backoffice.ui.dialogs.transfer_form import TransferForm
from backoffice.ui.qt_helpers import named
from backoffice.ui.service_call import call
from backoffice.ui.widgets.action_runner import ActionRunner
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.ui.widgets.record_table_model import Column, RecordTableModel
from backoffice.values import counted, date_text, moment_text

PREVIEW_COLUMNS: tuple[Column[PlannedMove], ...] = (
    Column("Client", lambda m: m.client_name),
    Column("Goes to", lambda m: m.to_therapist_name),
    Column("Appointments", lambda m: str(m.appointments), numeric=True),
    Column("Bookings", lambda m: str(m.bookings), numeric=True),
    Column("Sessions to come", lambda m: "yes" if m.active else "no"),
)


def loads_text(preview: CaseloadPreview) -> str:
    """Each receiving therapist's caseload before and after, then what moves (HTML)."""
    lines = [
        f"{t.name} takes {counted(t.clients_received, 'client')}: clients with sessions to come "
        f"{t.active_before} → {t.active_after}, capacity {t.capacity}"
        + (f" — <b>{t.active_after - t.capacity} over capacity</b>" if t.over_capacity else "")
        for t in preview.targets
    ]
    moved = (
        f"{counted(preview.appointments, 'appointment')} and {counted(preview.bookings, 'booking')} "
        f"move, from {moment_text(preview.moved_from, zone=True)} on."
    )
    return "<br>".join(lines) + f"<br>{moved}"


def transfer_words(result: TransferResult | CaseloadTransferResult) -> str:
    """What a transfer changed, for the page that asked for it."""
    if isinstance(result, CaseloadTransferResult):
        return (
            f"{counted(len(result.transfers), 'client')} of {result.from_therapist_name} moved "
            f"from {moment_text(result.moved_from, zone=True)} on, with "
            f"{counted(result.appointments_moved, 'appointment')} and "
            f"{counted(result.bookings_moved, 'booking')}."
        )
    shared = " They may read the past session notes." if result.notes_shared else ""
    return (
        f"{result.client_name} is now with {result.to_therapist_name} (from "
        f"{moment_text(result.moved_from, zone=True)}): "
        f"{counted(len(result.appointments_moved), 'appointment')} and "
        f"{counted(len(result.bookings_moved), 'booking')} moved.{shared}"
    )


class TransferDialog(QDialog):
    transferred = Signal(object)  # TransferResult or CaseloadTransferResult
    failed = Signal(str)  # the sentence shown

    def __init__(
        self,
        session: StaffSession,
        *,
        client_id: str | None = None,
        from_therapist_id: str | None = None,
        confirm: Confirm = confirm,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("transfer_dialog")
        if (client_id is None) == (from_therapist_id is None):
            raise ValueError("a transfer is of one client or of one therapist's caseload")
        self.session, self._confirm = session, confirm
        self.client_id, self.from_therapist_id = client_id, from_therapist_id
        self.bulk = from_therapist_id is not None
        self.client: ClientRow | None = None
        self.therapists: tuple[TherapistRow, ...] = ()
        self.preview: CaseloadPreview | None = None
        self.result: Any = None
        self._actions = ActionRunner(
            self, on_changed=self._update_buttons, on_failed=self._on_action_failed
        )
        self.setWindowTitle("Transfer a caseload" if self.bulk else "Transfer a client")
        self._build()
        self._actions.start(self._load, self._on_loaded)

    # --- the dialog -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = named(QLabel("Loading…"), "transfer_heading", wordWrap=True)
        self.form = TransferForm(bulk=self.bulk)
        self.error = MessageArea("transfer_error")
        self.error.clear_error_on(self.form.targets_changed, self.form.reason.textEdited)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.form)
        self._build_preview()
        if self.bulk:
            layout.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(self.preview_table, 1)
            layout.addWidget(self.loads)
        layout.addWidget(self.error)
        layout.addWidget(self._button_box())
        self.form.targets_changed.connect(self._discard_preview)
        self.resize(720, 640 if self.bulk else 420)
        self._update_buttons()

    def _build_preview(self) -> None:
        self.preview_button = named(QPushButton("Preview"), "transfer_preview")
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        self.preview_model: RecordTableModel[PlannedMove] = RecordTableModel(PREVIEW_COLUMNS)
        self.preview_table = named(QTableView(), "transfer_preview_table")
        self.preview_table.setModel(self.preview_model)
        self.preview_table.verticalHeader().hide()
        self.loads = named(QLabel(), "transfer_loads", wordWrap=True)

    def _button_box(self) -> QDialogButtonBox:
        buttons, self.submit = action_buttons(self, "Transfer…", self._on_submit_clicked)
        named(self.submit, "transfer_submit")
        self.preview_button.setAutoDefault(False)
        return buttons

    def _load(self) -> tuple[tuple[TherapistRow, ...], ClientRow | None]:
        therapists = call(self.session, list_therapists)
        if self.client_id is None:
            return therapists, None
        found = call(self.session, find_clients, client_id=self.client_id)
        return therapists, found[0] if found else None

    def _on_loaded(self, loaded: tuple[tuple[TherapistRow, ...], ClientRow | None]) -> None:
        self.therapists, self.client = loaded
        if not self.bulk and self.client is None:
            self._show_error(f"There is no client with the id {self.client_id}.")
            return
        giving = self.from_therapist_id if self.client is None else self.client.therapist_id
        self.heading.setText(self._heading(giving))
        self.form.offer(self.therapists, giving=giving)
        self._discard_preview()

    def _heading(self, giving: str | None) -> str:
        if self.client is not None:
            return (
                f"<b>{self.client.name}</b> is now with "
                f"{self.client.therapist_name or 'no therapist'}."
            )
        return f"The whole caseload of <b>{self._giving_name(giving)}</b>."

    def _giving_name(self, giving: str | None) -> str:
        return next((t.name for t in self.therapists if t.therapist_id == giving), giving or "")

    def problem(self) -> str | None:
        """The sentence that stops the transfer before anything is sent, or None."""
        if not self.form.chosen_targets():
            return (
                "Choose the therapist who takes the clients."
                if self.bulk
                else "Choose the new therapist."
            )
        if not self.form.reason.text().strip():
            return "Give the reason for the transfer."
        if self.bulk and self.preview is None:
            return "Preview the transfer first: nothing changes until you confirm it."
        over = self.preview.over_capacity if self.preview else ()
        if over and not self.form.override.text().strip():
            return f"{over[0].name} would be over capacity: give a reason to override, or spread differently."
        return None

    # --- preview and transfer -------------------------------------------------------------------
    def _on_preview_button_clicked(self) -> None:
        targets = self.form.chosen_targets()
        if not targets:
            self._show_error("Choose the therapist who takes the clients.")
            return
        work = partial(
            call,
            self.session,
            preview_caseload_transfer,
            from_therapist_id=self.from_therapist_id,
            to_therapist_ids=targets,
            spread_by_capacity=self.form.spread.isChecked(),
            effective_date=self.form.effective_date(),
        )
        self._actions.start(work, self._on_previewed)

    def _on_previewed(self, preview: CaseloadPreview) -> None:
        self.preview = preview
        self.preview_model.set_records(preview.moves)
        self.loads.setText(loads_text(preview))
        self.error.clear()

    def _discard_preview(self) -> None:
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
        if self.preview is not None:
            question, work = self._caseload_transfer()
        else:
            question, work = self._client_transfer()
        title = self.windowTitle()
        if self._confirm(self, question, title=title, action="Transfer"):
            self._actions.start(work, self._on_transferred)

    def _caseload_transfer(self) -> tuple[str, Callable[[], Any]]:
        """The question to confirm and the work that transfers the previewed caseload."""
        assert self.preview is not None
        question = (
            f"Transfer the {counted(len(self.preview.moves), 'client')} of "
            f"{self.preview.from_therapist_name} as previewed, from "
            f"{date_text(self.form.effective_date())}?"
        )
        common = self.form.common_arguments()
        return question, partial(
            call, self.session, transfer_caseload, preview=self.preview, **common
        )

    def _client_transfer(self) -> tuple[str, Callable[[], Any]]:
        """The question to confirm and the work that transfers the one client."""
        assert self.client is not None
        to_name = self.form.target_name()
        work = partial(
            call,
            self.session,
            transfer_client,
            client_id=self.client.client_id,
            to_therapist_id=self.form.chosen_targets()[0],
            effective_date=self.form.effective_date(),
            expected_from_therapist_id=self.client.therapist_id,
            **self.form.common_arguments(),
        )
        question = (
            f"Transfer {self.client.name} from {self.client.therapist_name or 'no therapist'} to "
            f"{to_name}, from {date_text(self.form.effective_date())}?"
        )
        return question, work

    def _on_transferred(self, result: Any) -> None:
        self.result = result
        self.transferred.emit(result)
        self.accept()

    # --- plumbing -------------------------------------------------------------------------------
    def is_busy(self) -> bool:
        return self._actions.busy

    def _update_buttons(self) -> None:
        self.submit.setEnabled(not self.is_busy() and bool(self.therapists))
        self.preview_button.setEnabled(not self.is_busy() and bool(self.therapists))

    def _on_action_failed(self, message: str) -> None:
        self._show_error(message)
        self.failed.emit(message)

    def _show_error(self, text: str) -> None:
        self.error.show_error(text)
