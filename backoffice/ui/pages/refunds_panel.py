"""RefundsPanel: the refunds in one state, one refund's ledger, and the actions it allows.

Which action is enabled is asked of the service (`get_refund` returns the refund's actions for the
signed-in person, which asks the database's state machine and four eyes), never decided here; a
disabled button's tooltip says why. Every call goes through `run_op`, and a refusal shows its own
sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.login import StaffSession
from backoffice.services.refunds import (
    RefundDetail,
    RefundResult,
    approve_refund,
    complete_refund,
    fail_refund,
    get_refund,
    list_refunds,
    reject_refund,
    retry_refund,
)
from backoffice.ui.qt_helpers import choice_box, named
from backoffice.ui.service_call import call
from backoffice.ui.widgets.action_runner import ActionRunner, show_status
from backoffice.ui.widgets.record_table import record_table, select_record
from backoffice.ui.widgets.record_table_model import Column, RecordTableModel
from backoffice.values import datetime_text, money_text

AskText = Callable[[QWidget, str, str], str | None]

STATES = (
    ("Waiting for approval", "requested"),
    ("Approved, to complete", "approved"),
    ("Failed", "failed"),
    ("Completed", "completed"),
    ("Rejected", "rejected"),
    ("All", None),
)
COLUMNS: tuple[Column[RefundResult], ...] = (
    Column("Refund", lambda r: str(r.id), numeric=True),
    Column("Payment", lambda r: str(r.payment_id), numeric=True),
    Column("Amount", lambda r: money_text(r.amount, r.currency), numeric=True),
    Column("State", lambda r: r.state),
    Column("Reason", lambda r: r.reason_code),
    Column("Requested by", lambda r: r.requested_by),
    Column("Requested", lambda r: datetime_text(r.requested_at)),
    Column("Approved by", lambda r: r.approved_by or ""),
    Column("Second person", lambda r: "needed" if r.needs_second_approver else ""),
    Column("Gateway reference", lambda r: r.gateway_reference or ""),
)


def ask_text_dialog(parent: QWidget, title: str, label: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok else None


class RefundsPanel(QWidget):
    changed = Signal(object)  # the RefundResult after an action
    action_failed = Signal(str)  # the sentence shown

    def __init__(
        self,
        session: StaffSession,
        *,
        ask_text: AskText = ask_text_dialog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self._ask_text = session, ask_text
        self.detail: RefundDetail | None = None  # the selected refund's, with its actions
        self.model: RecordTableModel[RefundResult] = RecordTableModel(COLUMNS)
        self._actions = ActionRunner(
            self, on_changed=self._update_actions, on_failed=self._on_action_failed
        )
        self._build()

    def _build(self) -> None:
        self.state_filter = choice_box("refund_state_filter", STATES)
        self.state_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        self.table = record_table("refund_table", self.model)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.ledger = named(QLabel(), "refund_ledger", wordWrap=True)
        self.ledger.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = named(QLabel(), "refund_status", wordWrap=True)
        # Why the person may not approve or retry (four eyes); a state's refusals go without saying.
        self.hint = named(QLabel(), "refund_hint", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._action_bar())
        layout.addWidget(self.table, 3)
        layout.addWidget(self.ledger, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.status)
        self._update_actions()

    def _action_bar(self) -> QHBoxLayout:
        self.buttons = {
            "approve": QPushButton("Approve"),
            "reject": QPushButton("Reject…"),
            "complete": QPushButton("Complete…"),
            "fail": QPushButton("Mark failed…"),
            "retry": QPushButton("Retry"),
        }
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.state_filter)
        bar.addStretch(1)
        for name, button in self.buttons.items():
            named(button, f"refund_{name}")
            button.clicked.connect(lambda _checked=False, n=name: self._on_action_clicked(n))
            bar.addWidget(button)
        return bar

    # --- loading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        state = self.state_filter.currentData()
        self._actions.start(lambda: call(self.session, list_refunds, state=state), self._on_loaded)

    def is_busy(self) -> bool:
        return self._actions.busy

    def selected(self) -> RefundResult | None:
        return self.model.record(self.table.currentIndex().row())

    def select_refund(self, refund_id: int) -> bool:
        return select_record(self.table, self.model, lambda refund: refund.id == refund_id)

    def _on_loaded(self, refunds: tuple[RefundResult, ...]) -> None:
        chosen = self.selected()
        self.detail = None
        self.model.set_records(refunds)
        if chosen is None or not self.select_refund(chosen.id):
            self.ledger.setText("")
        self._update_actions()

    def _on_table_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.detail = None
        self._update_actions()
        refund = self.model.record(current.row())
        if refund is not None:
            self._actions.start(
                lambda: call(self.session, get_refund, refund_id=refund.id), self._show_ledger
            )

    def _show_ledger(self, detail: RefundDetail) -> None:
        selected = self.selected()
        self.detail = detail if selected is not None and selected.id == detail.refund.id else None
        self._update_actions()
        lines = [
            f"{datetime_text(e.occurred_at)} · {e.state} by {e.actor} · left "
            f"{money_text(e.balance_before, detail.refund.currency)} → "
            f"{money_text(e.balance_after, detail.refund.currency)}"
            + (f" · {e.reason}" if e.reason else "")
            + (f" · {e.gateway_reference}" if e.gateway_reference else "")
            for e in detail.events
        ]
        self.ledger.setText("<br>".join(lines))

    # --- actions --------------------------------------------------------------------------------
    def allowed(self, action: str) -> bool:
        """What the service said of the selected refund: may the signed-in person take `action`?"""
        return self.detail is not None and self.detail.allows(action)

    def _update_actions(self) -> None:
        actions = self.detail.actions if self.detail else ()
        reasons = {a.action: a.reason or "" for a in actions}
        for name, button in self.buttons.items():
            button.setEnabled(not self.is_busy() and self.allowed(name))
            button.setToolTip(reasons.get(name, ""))
        four_eyes = [a.reason for a in actions if a.refused_by == "four_eyes" and a.reason]
        self.hint.setText(four_eyes[0] if four_eyes else "")

    def _on_action_clicked(self, action: str) -> None:
        questions = {
            "reject": ("Reject the refund", "Why is it rejected?"),
            "complete": ("Complete the refund", "The refund reference the gateway showed:"),
            "fail": ("Refund failed", "The gateway's message:"),
        }
        text = None
        if action in questions:
            text = self._ask_text(self, *questions[action])
            if text is None:
                return
        self.act(action, text)

    def act(self, action: str, text: str | None = None) -> None:
        """Take `action` on the selected refund (text: the reason, reference or message)."""
        refund = self.selected()
        if refund is None or not self.allowed(action):
            return
        services: dict[str, tuple[Any, dict[str, Any]]] = {
            "approve": (approve_refund, {}),
            "reject": (reject_refund, {"reason": text}),
            "complete": (complete_refund, {"gateway_reference": text}),
            "fail": (fail_refund, {"message": text}),
            "retry": (retry_refund, {}),
        }
        service, extra = services[action]
        self._actions.start(
            lambda: call(self.session, service, refund_id=refund.id, **extra), self._on_acted
        )

    def _on_acted(self, result: RefundResult) -> None:
        show_status(self.status, f"Refund {result.id} is now {result.state}.", error=False)
        self.changed.emit(result)

    # --- plumbing -------------------------------------------------------------------------------
    def _on_action_failed(self, message: str) -> None:
        show_status(self.status, message, error=True)
        self.action_failed.emit(message)
