"""ReconciliationPanel: payments whose refund fields disagree with their booking's or the ledger,
and the audited repair that keeps one side (offered only where the service offers it)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.login import StaffSession
from backoffice.services.permissions import Permission
from backoffice.services.refunds import (
    RefundMismatch,
    RepairResult,
    list_refund_mismatches,
    repair_refund_mismatch,
)
from backoffice.ui.qt_helpers import named
from backoffice.ui.service_call import call
from backoffice.ui.widgets.action_runner import ActionRunner, show_status
from backoffice.ui.widgets.record_table import record_table, select_record
from backoffice.ui.widgets.record_table_model import Column, RecordTableModel
from backoffice.values import money_text

Confirm = Callable[[QWidget, str], bool]
KEEPS = (
    ("ledger", "Keep the refund ledger"),
    ("payment", "Keep the payment's fields"),
    ("booking", "Keep the booking's fields"),
)
COLUMNS: tuple[Column[RefundMismatch], ...] = (
    Column("Payment", lambda m: str(m.payment_id), numeric=True),
    Column("Booking", lambda m: m.booking_id or ""),
    Column("Paid", lambda m: money_text(m.paid, m.currency) if m.paid else "", numeric=True),
    Column("What disagrees", lambda m: " ".join(m.problems)),
)


def ask_to_confirm(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(parent, "Repair refund fields", text)
    return answer == QMessageBox.StandardButton.Yes


class ReconciliationPanel(QWidget):
    repaired = Signal(object)  # the RepairResult
    action_failed = Signal(str)

    def __init__(
        self,
        session: StaffSession,
        *,
        confirm: Confirm = ask_to_confirm,
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
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.status = named(QLabel(), "mismatch_status", wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
        self.table.resizeRowsToContents()
        count = len(mismatches)
        show_status(self.status, f"{count} payment(s) disagree." if count else "Everything agrees.")

    def _on_table_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._update_actions()

    def _on_keep_clicked(self, keep: str) -> None:
        mismatch = self.selected()
        if mismatch is None:
            return
        side = dict(KEEPS)[keep].lower().replace("keep ", "")
        if self._confirm(
            self, f"Write {side} to both payment {mismatch.payment_id} and its booking?"
        ):
            self.repair(keep)

    def _on_repaired(self, result: RepairResult) -> None:
        show_status(self.status, f"Payment {result.payment_id} repaired: kept the {result.kept}.")
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
        show_status(self.status, message, error=True)
        self.action_failed.emit(message)
