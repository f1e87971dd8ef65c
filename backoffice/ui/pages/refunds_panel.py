"""RefundsPanel: the refunds in one state, one refund's ledger, and the actions it allows.

Which action is enabled is asked of the service (`get_refund` returns the refund's actions for the
signed-in person, which asks the database's state machine and four eyes), never decided here; a
disabled button's tooltip says why, and why the person may not approve (four eyes) is said above
the table. Every action asks first, naming the amount and the client; every call goes through
`run_op`; the outcome, or the refusal's own sentence, is in the panel's message area.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from backoffice.services.login import StaffSession
from backoffice.services.refunds import (
    REASON_CODES,
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
from backoffice.ui.dialogs.questions import AskText, Confirm, ask_text, confirm
from backoffice.ui.pages.refund_words import (
    COLUMNS,
    DONE,
    QUESTIONS,
    STATE_WORDS,
    event_reason_words,
    refund_words,
    sentence,
)
from backoffice.ui.qt_helpers import choice_box, named
from backoffice.ui.service_call import call
from backoffice.ui.widgets.action_runner import ActionRunner
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.ui.widgets.record_table import fit_columns, record_table, select_record
from backoffice.ui.widgets.record_table_model import RecordTableModel
from backoffice.values import datetime_text, money_text

STATES = (
    ("Waiting for approval", "requested"),
    ("Approved, to complete", "approved"),
    ("Failed", "failed"),
    ("Completed", "completed"),
    ("Rejected", "rejected"),
    ("All", None),
)


class RefundsPanel(QWidget):
    changed = Signal(object)  # the RefundResult after an action
    action_failed = Signal(str)  # the sentence shown

    def __init__(
        self,
        session: StaffSession,
        *,
        ask_text: AskText = ask_text,
        confirm: Confirm = confirm,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self._ask_text, self._confirm = session, ask_text, confirm
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
        self.ledger.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.ledger.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Why the person may not approve or retry (four eyes); a state's refusals go without saying.
        self.hint = named(QLabel(), "refund_hint", wordWrap=True)
        self.status = MessageArea("refund_status")
        self.status.clear_error_on(self.table.selectionModel().currentRowChanged)
        split = named(QSplitter(Qt.Orientation.Vertical), "refund_split")
        split.addWidget(self.table)
        split.addWidget(self.ledger)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self._action_bar())
        layout.addWidget(self.hint)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        self._show_ledger(None)
        self._update_actions()

    def _action_bar(self) -> QHBoxLayout:
        self.buttons = {
            "approve": QPushButton("Approve…"),
            "reject": QPushButton("Reject…"),
            "complete": QPushButton("Complete…"),
            "fail": QPushButton("Mark failed…"),
            "retry": QPushButton("Retry…"),
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
        self._actions.start(
            lambda: (state, call(self.session, list_refunds, state=state)), self._on_loaded
        )

    def is_busy(self) -> bool:
        return self._actions.busy

    def selected(self) -> RefundResult | None:
        return self.model.record(self.table.currentIndex().row())

    def select_refund(self, refund_id: int) -> bool:
        return select_record(self.table, self.model, lambda refund: refund.id == refund_id)

    def _on_loaded(self, loaded: tuple[str | None, tuple[RefundResult, ...]]) -> None:
        state, refunds = loaded
        if state != self.state_filter.currentData():
            return  # asked for before the filter changed: the list for the new one is on its way
        chosen = self.selected()
        self.detail = None
        self.model.set_records(refunds)
        fit_columns(self.table)
        if chosen is None or not self.select_refund(chosen.id):
            self._show_ledger(None)
        self._update_actions()

    def _on_table_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.detail = None
        self._update_actions()
        refund = self.model.record(current.row())
        self._show_ledger(None)
        if refund is not None:
            self._actions.start(
                lambda: call(self.session, get_refund, refund_id=refund.id), self._show_ledger
            )

    def _show_ledger(self, detail: RefundDetail | None) -> None:
        selected = self.selected()
        mine = detail is not None and selected is not None and selected.id == detail.refund.id
        self.detail = detail if mine else None
        self._update_actions()
        if detail is None:
            empty = "Select a refund to see its history." if self.model.records else ""
            self.ledger.setText(empty if selected is None else "Loading its history…")
            return
        refund = detail.refund
        lines = [
            f"<b>{sentence(refund_words(refund))}</b>: "
            f"{REASON_CODES.get(refund.reason_code, refund.reason_code)}"
            + (f" ({refund.note})" if refund.note else "")
        ]
        lines += [
            f"{datetime_text(e.occurred_at, zone=True)} · {STATE_WORDS.get(e.state, e.state)} "
            f"by {e.actor} · refundable {money_text(e.balance_before, refund.currency)} → "
            f"{money_text(e.balance_after, refund.currency)}"
            + (f" · {event_reason_words(e.reason)}" if e.reason else "")
            + (f" · reference {e.gateway_reference}" if e.gateway_reference else "")
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
        nothing = "Select a refund first." if self.selected() is None else ""
        for name, button in self.buttons.items():
            button.setEnabled(not self.is_busy() and self.allowed(name))
            button.setToolTip(reasons.get(name, nothing))
        four_eyes = [a.reason for a in actions if a.refused_by == "four_eyes" and a.reason]
        self.hint.setText(four_eyes[0] if four_eyes else "")
        self.hint.setVisible(bool(four_eyes))

    def _on_action_clicked(self, action: str) -> None:
        refund = self.selected()
        if refund is None or not self.allowed(action):
            return
        title, question, button = QUESTIONS[action]
        text = question.format(refund=refund_words(refund))
        if action in ("reject", "complete", "fail"):
            answer = self._ask_text(self, title, text, action=button)
            if answer is None:
                return
            self.act(action, answer)
        elif self._confirm(self, text, title=title, action=button, risky=True):
            self.act(action)

    def act(self, action: str, text: str | None = None) -> None:
        """Take `action` on the selected refund (text: the reason, reference or message)."""
        refund = self.selected()
        if refund is None or not self.allowed(action):
            return
        services: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
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
        template = DONE.get(result.state, "{Refund} is now " + result.state + ".")
        self.status.show_info(template.format(Refund=sentence(refund_words(result))))
        self.changed.emit(result)

    # --- plumbing -------------------------------------------------------------------------------
    def _on_action_failed(self, message: str) -> None:
        self.status.show_error(message)
        self.action_failed.emit(message)
