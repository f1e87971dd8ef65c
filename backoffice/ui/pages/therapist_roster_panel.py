"""TherapistRosterPanel: the therapists with capacity, caseload and registration expiry; deactivate
(never delete) or reactivate one, record their registration, and transfer a caseload, which is
offered at once after a deactivation."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from backoffice.services.login import StaffSession
from backoffice.services.permissions import Permission
from backoffice.services.therapists import (
    DeactivationResult,
    TherapistRow,
    deactivate_therapist,
    list_therapists,
    reactivate_therapist,
)
from backoffice.ui.dialogs.questions import AskText, Confirm, ask_text, confirm
from backoffice.ui.dialogs.registration_dialog import RegistrationDialog
from backoffice.ui.dialogs.transfer_dialog import TransferDialog, transfer_words
from backoffice.ui.dialogs.transfer_form import capacity_words
from backoffice.ui.qt_helpers import named
from backoffice.ui.service_call import call
from backoffice.ui.widgets.action_runner import ActionRunner
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.ui.widgets.record_table import fit_columns, record_table, select_record
from backoffice.ui.widgets.record_table_model import Column, RecordTableModel
from backoffice.values import counted, date_text

DialogFactory = Callable[..., TransferDialog]
COLUMNS: tuple[Column[TherapistRow], ...] = (
    Column("Therapist", lambda t: t.name),
    Column("State", lambda t: "active" if t.is_active else "deactivated"),
    Column("Clients", lambda t: str(t.clients), numeric=True),
    Column("With sessions to come", lambda t: str(t.active_clients), numeric=True),
    Column("Capacity", lambda t: str(t.capacity), numeric=True),
    Column("Load", capacity_words),
    Column("Registration expires", lambda t: registration_text(t)),
    Column("Email", lambda t: t.email or ""),
    Column("Therapist id", lambda t: t.therapist_id),
)


def registration_text(t: TherapistRow) -> str:
    if t.registration_expires_on is None:
        return "not recorded"
    flag = "⚠ expired " if t.registration_expired else ""
    return flag + date_text(t.registration_expires_on)


def open_transfer_dialog(
    session: StaffSession, parent: QWidget, *, from_therapist_id: str
) -> TransferDialog:
    return TransferDialog(session, from_therapist_id=from_therapist_id, parent=parent)


class TherapistRosterPanel(QWidget):
    action_failed = Signal(str)

    def __init__(
        self,
        session: StaffSession,
        *,
        ask_text: AskText = ask_text,
        confirm: Confirm = confirm,
        dialog_factory: DialogFactory = open_transfer_dialog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self._ask_text, self._confirm = session, ask_text, confirm
        self._dialog_factory = dialog_factory
        self.dialog: TransferDialog | None = None
        self.registration_dialog: RegistrationDialog | None = None
        self.model: RecordTableModel[TherapistRow] = RecordTableModel(
            COLUMNS,
            emphasis=lambda t: (
                not t.is_active or t.remaining_capacity < 0 or t.registration_expired
            ),
        )
        self._actions = ActionRunner(
            self, on_changed=self._update_actions, on_failed=self._on_action_failed
        )
        self._build()

    def _build(self) -> None:
        self.search = named(
            QLineEdit(), "roster_search", placeholderText="Search name, id or email…"
        )
        self.search.returnPressed.connect(self.refresh)
        self.table = record_table("roster_table", self.model)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.status = MessageArea("roster_status")
        self.status.clear_error_on(self.table.selectionModel().currentRowChanged)
        layout = QVBoxLayout(self)
        layout.addLayout(self._action_bar())
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._update_actions()

    def _action_bar(self) -> QHBoxLayout:
        may = self.session.actor.may
        self.buttons = {
            "deactivate": (QPushButton("Deactivate…"), may(Permission.MANAGE_THERAPISTS)),
            "reactivate": (QPushButton("Reactivate…"), may(Permission.MANAGE_THERAPISTS)),
            "registration": (QPushButton("Registration…"), may(Permission.MANAGE_THERAPISTS)),
            "transfer": (QPushButton("Transfer caseload…"), may(Permission.TRANSFER_CLIENTS)),
        }
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        for name, (button, visible) in self.buttons.items():
            named(button, f"roster_{name}").setVisible(visible)
            button.clicked.connect(lambda _checked=False, n=name: self.act(n))
            bar.addWidget(button)
        return bar

    def refresh(self) -> None:
        search = self.search.text().strip() or None
        self._actions.start(
            partial(call, self.session, list_therapists, search=search), self._on_loaded
        )

    def is_busy(self) -> bool:
        return self._actions.busy

    def selected(self) -> TherapistRow | None:
        return self.model.record(self.table.currentIndex().row())

    def select_therapist(self, therapist_id: str) -> bool:
        return select_record(self.table, self.model, lambda t: t.therapist_id == therapist_id)

    def _on_loaded(self, rows: tuple[TherapistRow, ...]) -> None:
        chosen = self.selected()
        self.model.set_records(rows)
        fit_columns(self.table)
        if chosen is not None:
            self.select_therapist(chosen.therapist_id)

    def _on_table_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        t = self.selected()
        allowed = {
            "deactivate": t is not None and t.is_active,
            "reactivate": t is not None and not t.is_active,
            "registration": t is not None,
            "transfer": t is not None and t.clients > 0,
        }
        for name, (button, _visible) in self.buttons.items():
            button.setEnabled(allowed[name] and not self.is_busy())

    def act(self, action: str, reason: str | None = None) -> None:
        t = self.selected()
        if t is None or self.is_busy():
            return
        if action == "transfer":
            self.transfer_caseload(t.therapist_id)
            return
        if action == "registration":
            self.edit_registration(t)
            return
        if reason is None:
            verb = "deactivating" if action == "deactivate" else "reactivating"
            label = f"Why are you {verb} {t.name}?" + (
                f" They keep their {counted(t.clients, 'client')} until you transfer them."
                if action == "deactivate" and t.clients
                else ""
            )
            title = f"{action.title()} {t.name}"
            reason = self._ask_text(self, title, label, action=action.title())
            if reason is None:
                return
        if not reason.strip():
            self.status.show_error(
                f"Give the reason for {action.removesuffix('e')}ing the therapist."
            )
            return
        service = deactivate_therapist if action == "deactivate" else reactivate_therapist
        work = partial(call, self.session, service, therapist_id=t.therapist_id, reason=reason)
        self._actions.start(work, self._on_acted)

    def _on_acted(self, result: Any) -> None:
        if isinstance(result, DeactivationResult):
            self.status.show_info(
                f"{result.name} is deactivated; {counted(result.clients, 'client')} "
                "are still theirs until transferred."
            )
            question = (
                f"{result.name} still has {counted(result.clients, 'client')} "
                f"({counted(result.future_appointments, 'appointment')} to come). "
                "Transfer the caseload now?"
            )
            if result.caseload_to_transfer and self._confirm(
                self, question, title="Transfer the caseload", action="Transfer…"
            ):
                self.transfer_caseload(result.therapist_id)
        else:
            self.status.show_info(f"{result.name} is active again.")

    def edit_registration(self, t: TherapistRow) -> RegistrationDialog:
        """The registration editor; what it records reloads the roster."""
        dialog = RegistrationDialog(
            self.session, therapist_id=t.therapist_id, name=t.name, parent=self
        )
        dialog.recorded.connect(lambda r: self.status.show_info(_recorded_text(r)))
        dialog.recorded.connect(lambda _r: self.refresh())
        self.registration_dialog = dialog
        dialog.open()
        return dialog

    def transfer_caseload(self, therapist_id: str) -> TransferDialog:
        dialog = self._dialog_factory(self.session, self, from_therapist_id=therapist_id)
        dialog.transferred.connect(self._on_dialog_transferred)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_dialog_transferred(self, result: Any) -> None:
        self.status.show_info(transfer_words(result))

    def _on_action_failed(self, message: str) -> None:
        self.status.show_error(message)
        self.action_failed.emit(message)


def _recorded_text(r: Any) -> str:
    return f"{r.therapist_name}'s registration {r.number} with {r.body} is recorded ({r.state})."
