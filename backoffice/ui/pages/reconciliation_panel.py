"""ReconciliationPanel: payments whose refund fields disagree with their booking's or the ledger,
and the audited repair that keeps one side (offered only where the service offers it)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from backoffice.services.login import StaffSession
from backoffice.services.permissions import Permission
from backoffice.services.refunds import (
    RefundMismatch,
    RepairResult,
    list_refund_mismatches,
    repair_refund_mismatch,
)
from backoffice.ui.dialogs.questions import Confirm, confirm
from backoffice.ui.qt_helpers import named
from backoffice.ui.service_call import call
from backoffice.ui.widgets.action_runner import ActionRunner
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.ui.widgets.record_table import fit_columns, record_table, select_record
from backoffice.ui.widgets.record_table_model import Column, RecordTableModel
from backoffice.values import counted, date_text, id_text, money_text

KEEPS = (
    ("ledger", "Keep the refund ledger"),
    ("payment", "Keep the payment's fields"),
    ("booking", "Keep the booking's fields"),
)
COLUMNS: tuple[Column[RefundMismatch], ...] = (
    Column("Client", lambda m: m.client_name or "Unknown client"),
    Column("Paid on", lambda m: date_text(m.paid_on) if m.paid_on else ""),
    Column("Paid", lambda m: money_text(m.paid, m.currency) if m.paid else "", numeric=True),
    Column("What disagrees", lambda m: " ".join(m.problems)),
    Column("Payment id", lambda m: id_text(m.payment_id), numeric=True),
    Column("Booking id", lambda m: m.booking_id or ""),
)


def payment_words(m: RefundMismatch) -> str:
    """ "Asha Rao's payment of INR 2,500.00 (30 Nov 2026)"."""
    who = f"{m.client_name}'s" if m.client_name else "the"
    paid = f" of {money_text(m.paid, m.currency)}" if m.paid is not None else ""
    when = f" ({date_text(m.paid_on)})" if m.paid_on else ""
    return f"{who} payment{paid}{when}"


class ReconciliationPanel(QWidget):
    repaired = Signal(object)  # the RepairResult
    action_failed = Signal(str)

    def __init__(
        self,
        session: StaffSession,
        *,
        confirm: Confirm = confirm,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self._confirm = session, confirm
        self.model: RecordTableModel[RefundMismatch] = RecordTableModel(COLUMNS)
        self._actions = ActionRunner(
            self, on_changed=self._update_actions, on_failed=self._on_action_failed
        )
        self._build()

    def _build(self) -> None:
        self.table = record_table("mismatch_table", self.model)
        self.table.setWordWrap(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.status = MessageArea("mismatch_status")
        self.status.clear_error_on(self.table.selectionModel().currentRowChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._keep_buttons())
        layout.addWidget(self.status)
        self._update_actions()

    def _keep_buttons(self) -> QHBoxLayout:
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addStretch(1)
        for keep, label in KEEPS:
            button = named(QPushButton(label), f"keep_{keep}")
            button.clicked.connect(lambda _checked=False, k=keep: self._on_keep_clicked(k))
            self.buttons[keep] = button
            row.addWidget(button)
        return row

    def refresh(self) -> None:
        self._actions.start(lambda: call(self.session, list_refund_mismatches), self._on_loaded)

    def is_busy(self) -> bool:
        return self._actions.busy

    def selected(self) -> RefundMismatch | None:
        return self.model.record(self.table.currentIndex().row())

    def select_payment(self, payment_id: int) -> bool:
        return select_record(self.table, self.model, lambda m: m.payment_id == payment_id)

    def repair(self, keep: str) -> None:
        """Repair the selected payment keeping `keep` (no confirmation: the caller asked)."""
        mismatch = self.selected()
        if mismatch is None or keep not in mismatch.keep_choices:
            return
        self._actions.start(
            lambda: call(
                self.session, repair_refund_mismatch, payment_id=mismatch.payment_id, keep=keep
            ),
            self._on_repaired,
        )

    def _on_loaded(self, mismatches: tuple[RefundMismatch, ...]) -> None:
        self.model.set_records(mismatches)
        fit_columns(self.table, widest=420)
        self.table.resizeRowsToContents()
        count = len(mismatches)
        if count == 1:
            self.status.show_info("1 payment disagrees with its booking or the refund ledger.")
        elif count:
            self.status.show_info(
                f"{counted(count, 'payment')} disagree with their bookings or the refund ledger."
            )
        else:
            self.status.show_info("Every payment's refund fields agree with its booking's.")

    def _on_table_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._update_actions()

    def _on_keep_clicked(self, keep: str) -> None:
        mismatch = self.selected()
        if mismatch is None:
            return
        side = dict(KEEPS)[keep].lower().replace("keep ", "")
        question = f"Write {side} to both {payment_words(mismatch)} and its booking?"
        if self._confirm(self, question, title="Repair refund fields", action="Repair", risky=True):
            self.repair(keep)

    def _on_repaired(self, result: RepairResult) -> None:
        repaired = next((m for m in self.model.records if m.payment_id == result.payment_id), None)
        what = payment_words(repaired) if repaired else f"payment {id_text(result.payment_id)}"
        self.status.show_info(
            f"Repaired {what}: it and its booking now say what the {result.kept} said."
        )
        self.repaired.emit(result)

    def _update_actions(self) -> None:
        mismatch = self.selected()
        may = self.session.actor.may(Permission.REPAIR_PAYMENTS)
        for keep, button in self.buttons.items():
            button.setVisible(may)
            button.setEnabled(
                not self.is_busy() and mismatch is not None and keep in mismatch.keep_choices
            )

    def _on_action_failed(self, message: str) -> None:
        self.status.show_error(message)
        self.action_failed.emit(message)
