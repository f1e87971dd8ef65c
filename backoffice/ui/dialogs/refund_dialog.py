"""RefundDialog: request a full or partial refund of one payment.

The payment's figures load on a worker; the form is checked here on the GUI thread with the same
rules the service applies (the amount as the window writes it, "2,500.50", is understood), the
person confirms with the amount and the client in the sentence, and `request_refund` runs through
`run_op` with one idempotency key per dialog, so a double click or a retry after a lost connection
makes one refund. A refusal shows the error's own sentence until the form changes.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import BackofficeError, ValidationError
from backoffice.services.login import StaffSession
from backoffice.services.refunds import (
    REASON_CODES,
    PaymentRefundSummary,
    RefundResult,
    check_reason,
    get_payment_refunds,
    parse_amount,
    request_refund,
)
from backoffice.ui.dialogs.questions import Confirm, action_buttons, confirm
from backoffice.ui.qt_helpers import choice_box, named
from backoffice.ui.service_call import call
from backoffice.ui.tasks import Op, run_op, user_message
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.values import date_text, id_text, money_text

_HELD = ("completed", "no_show", "cancelled")


class RefundDialog(QDialog):
    refund_requested = Signal(object)  # the RefundResult
    failed = Signal(str)  # the sentence shown

    def __init__(
        self,
        session: StaffSession,
        payment_id: int,
        *,
        confirm: Confirm = confirm,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("refund_dialog")
        self.setWindowTitle("Request a refund")
        self.session, self.payment_id, self._confirm = session, payment_id, confirm
        self.idempotency_key = f"refund-dialog-{uuid.uuid4()}"
        self.summary: PaymentRefundSummary | None = None
        self.requested: RefundResult | None = None
        self._op: Op[Any] | None = None
        self._build()
        self._set_busy(True, "Loading the payment…")
        self._op = run_op(
            lambda: call(session, get_payment_refunds, payment_id=payment_id),
            on_success=self._on_loaded,
            on_failure=self._on_failed,
            context=self,
        )

    def _build(self) -> None:
        self.figures = named(QLabel(), "refund_figures", wordWrap=True)
        amount_row = self._amount_row()
        reasons = ((label, code) for code, label in REASON_CODES.items())
        self.reason = choice_box("refund_reason", reasons)
        self.note = named(
            QPlainTextEdit(),
            "refund_note",
            placeholderText="A note for finance",
            tabChangesFocus=True,
        )
        self.cancel_session = named(QCheckBox("Also cancel the session"), "refund_cancel_session")
        self.error = MessageArea("refund_error")
        form = QFormLayout()
        form.addRow(self.full)
        form.addRow(amount_row)
        form.addRow("Reason:", self.reason)
        form.addRow("Note:", self.note)
        form.addRow(self.cancel_session)
        layout = QVBoxLayout(self)
        layout.addWidget(self.figures)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self._button_box())
        self.error.clear_error_on(
            self.amount.textEdited,
            self.part.toggled,
            self.reason.currentIndexChanged,
            self.note.textChanged,
        )

    def _amount_row(self) -> QHBoxLayout:
        """Everything that is left, or part of it (the amount field only then)."""
        self.full = named(QRadioButton("Everything that is left"), "refund_full", checked=True)
        self.part = named(QRadioButton("Part of it:"), "refund_part")
        self.amount = named(QLineEdit(), "refund_amount", placeholderText="e.g. 1,500.00")
        group = QButtonGroup(self)
        for button in (self.full, self.part):
            group.addButton(button)
        self.part.toggled.connect(self.amount.setEnabled)
        self.amount.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.part)
        row.addWidget(self.amount, 1)
        return row

    def _button_box(self) -> QDialogButtonBox:
        self.buttons, self.submit = action_buttons(self, "Request refund…", self._on_submit_clicked)
        named(self.submit, "refund_submit")
        return self.buttons

    # --- loading --------------------------------------------------------------------------------
    def is_busy(self) -> bool:
        return self._op is not None

    def _on_loaded(self, summary: PaymentRefundSummary) -> None:
        self._op = None
        self.summary = summary
        currency = summary.currency or ""
        who = summary.client_name or "An unknown client"
        paid_on = f" on {date_text(summary.payment_date)}" if summary.payment_date else ""
        self.setWindowTitle(f"Request a refund to {who}")
        lines = [
            f"<b>{who}</b> paid {_money(summary.amount, currency)}{paid_on} "
            f"(payment {id_text(summary.payment_id)}, booking {summary.booking_id or 'none'}).",
            f"Refunded {_money(summary.refunded, currency)}, not yet confirmed "
            f"{_money(summary.unconfirmed, currency)}; "
            f"<b>left to refund: {_money(summary.refundable, currency)}</b>.",
            f"When this payment's refunds come to more than "
            f"{_money(summary.approval_threshold, currency)} in all, someone other than you "
            "must approve.",
        ]
        if not summary.fields_agree:
            lines.append(
                "<b>This payment's refund fields disagree with its booking's: repair it "
                "under Reconciliation first.</b>"
            )
        self.figures.setText("<br>".join(lines))
        self.full.setText(f"Everything that is left ({_money(summary.refundable, currency)})")
        can_refund = summary.refundable > 0 and summary.fields_agree
        self._set_busy(False, "" if can_refund else "Nothing can be refunded from this payment.")

    # --- the form -------------------------------------------------------------------------------
    def checked_request(self) -> dict[str, object]:
        """The form as `request_refund` arguments; ValidationError with a sentence if it is wrong."""
        summary = self.summary
        if summary is None or summary.currency is None:
            raise ValidationError("The payment has not loaded yet.")
        amount: Decimal | None = None
        if self.part.isChecked():
            amount = parse_amount(self.amount.text(), currency=summary.currency)
            if amount > summary.refundable:
                raise ValidationError(
                    f"At most {money_text(summary.refundable, summary.currency)} can still be "
                    "refunded from this payment."
                )
        code, note = check_reason(self.reason.currentData(), self.note.toPlainText())
        return {
            "payment_id": summary.payment_id,
            "amount": amount,
            "reason_code": code,
            "note": note,
            "cancel_session": self.cancel_session.isChecked(),
            "idempotency_key": self.idempotency_key,
        }

    def _on_submit_clicked(self) -> None:
        if self._op is not None:
            return
        try:
            request = self.checked_request()
        except BackofficeError as error:
            self._show_error(str(error))
            return
        assert self.summary is not None
        currency = self.summary.currency or ""
        chosen = request["amount"]
        amount = chosen if isinstance(chosen, Decimal) else self.summary.refundable
        who = self.summary.client_name or "the client"
        text = f"Request a refund of {money_text(amount, currency)} to {who}"
        if request["cancel_session"]:
            text += " and cancel the session"
        title = "Request a refund"
        if not self._confirm(self, text + "?", title=title, action="Request refund", risky=True):
            return
        self._set_busy(True, "Requesting the refund…")
        self._op = run_op(
            lambda: call(self.session, request_refund, **request),
            on_success=self._on_requested,
            on_failure=self._on_failed,
            context=self,
        )

    def _on_requested(self, result: RefundResult) -> None:
        self._op = None
        self.requested = result
        self._set_busy(False, "")
        self.refund_requested.emit(result)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._op = None
        self._set_busy(False, "")
        message = user_message(error)
        self._show_error(message)
        self.failed.emit(message)

    def _set_busy(self, busy: bool, message: str) -> None:
        """Controls off while a job runs, and off for good when nothing can be refunded."""
        summary = self.summary
        usable = (
            not busy and summary is not None and summary.refundable > 0 and summary.fields_agree
        )
        for widget in (self.full, self.part, self.reason, self.note, self.submit):
            widget.setEnabled(usable)
        self.amount.setEnabled(usable and self.part.isChecked())
        held = summary is not None and (summary.booking_status or "").lower() in _HELD
        self.cancel_session.setEnabled(usable and not held)
        self.error.show_info(message)

    def _show_error(self, message: str) -> None:
        self.error.show_error(message)


def _money(amount: Decimal | None, currency: str) -> str:
    return "nothing" if amount is None else money_text(amount, currency)
