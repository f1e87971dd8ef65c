"""PaymentsPage: the payments (a lazy table), the refunds and their actions, and reconciliation.

"Refund…" opens a RefundDialog for the payment under the cursor; what it requests appears under
Refunds, where the next person approves and finance completes it. Each tab loads when first shown,
and again when a workflow changed what it shows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from backoffice.services.browse import PAYMENTS, Browser
from backoffice.services.changes import Area
from backoffice.services.login import StaffSession
from backoffice.services.permissions import Permission
from backoffice.services.refunds import RefundResult
from backoffice.ui.dialogs.refund_dialog import RefundDialog
from backoffice.ui.pages.reconciliation_panel import ReconciliationPanel
from backoffice.ui.pages.refunds_panel import RefundsPanel, refund_words
from backoffice.ui.qt_helpers import named
from backoffice.ui.widgets.lazy_parts import LazyPage, LazyParts, Part, in_view_of
from backoffice.ui.widgets.lazy_table_view import LazyTableView
from backoffice.ui.widgets.message_area import MessageArea

DialogFactory = Callable[[StaffSession, int, QWidget], RefundDialog]


def open_refund_dialog(session: StaffSession, payment_id: int, parent: QWidget) -> RefundDialog:
    return RefundDialog(session, payment_id, parent=parent)


class PaymentsPage(LazyPage):
    refund_requested = Signal(object)  # the RefundResult

    def __init__(
        self,
        session: StaffSession,
        *,
        dialog_factory: DialogFactory = open_refund_dialog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self._dialog_factory = session, dialog_factory
        self.dialog: RefundDialog | None = None
        self.payments = LazyTableView(Browser(session.unit_of_work, session.actor, PAYMENTS))
        self.refunds = RefundsPanel(session)
        self.reconciliation = ReconciliationPanel(session)
        self.refund_button = self._refund_button()
        self.status = MessageArea("payments_status")
        self.payments.table.selectionModel().currentRowChanged.connect(
            self._on_payments_current_row_changed
        )
        self.payments.model.modelReset.connect(self._update_refund_button)
        self.tabs = named(QTabWidget(), "payments_tabs")
        self.tabs.addTab(self._payments_tab(), "Payments")
        self.tabs.addTab(self.refunds, "Refunds")
        self.tabs.addTab(self.reconciliation, "Reconciliation")
        self.parts = LazyParts(self, self._parts(), in_view_of(self.tabs.currentIndex))
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Payments and refunds</h2>"))
        layout.addWidget(self.tabs, 1)

    def _refund_button(self) -> QPushButton:
        button = named(
            QPushButton("Refund…"),
            "payments_refund",
            toolTip="Select a payment to refund first.",
        )
        button.setVisible(self.session.actor.may(Permission.REQUEST_REFUNDS))
        button.setEnabled(False)
        button.clicked.connect(self._on_refund_button_clicked)
        return button

    def _parts(self) -> list[Part]:
        """What each tab shows, in tab order."""
        return [
            Part({Area.PAYMENTS}, self.payments.refresh, first_load=self.payments.open),
            Part({Area.REFUNDS}, self.refunds.refresh),
            Part({Area.PAYMENTS, Area.BOOKINGS, Area.REFUNDS}, self.reconciliation.refresh),
        ]

    def _payments_tab(self) -> QWidget:
        tab = QWidget()
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.refund_button)
        layout = QVBoxLayout(tab)
        layout.addLayout(bar)
        layout.addWidget(self.payments, 1)
        return tab

    # --- what the window calls ------------------------------------------------------------------
    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.payments.focus_search()

    def close_page(self) -> None:
        self.payments.close_page()

    # --- the refund dialog ----------------------------------------------------------------------
    def current_payment_id(self) -> int | None:
        row = self.payments.table.currentIndex().row()
        key = self.payments.model.key(row) if row >= 0 else None
        return int(key) if key is not None else None

    def request_refund_for(self, payment_id: int) -> RefundDialog:
        """Open the refund dialog for a payment (non-modal, so the window keeps working)."""
        dialog = self._dialog_factory(self.session, payment_id, self)
        dialog.refund_requested.connect(self._on_dialog_refund_requested)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_refund_button_clicked(self) -> None:
        payment_id = self.current_payment_id()
        if payment_id is not None:
            self.request_refund_for(payment_id)

    def _on_dialog_refund_requested(self, result: RefundResult) -> None:
        who = (
            "someone other than you must approve it"
            if result.needs_second_approver
            else "it can be approved now"
        )
        words = refund_words(result)
        self.status.show_info(f"{words[:1].upper()}{words[1:]} requested: {who}, under Refunds.")
        self.refund_requested.emit(result)

    def _on_payments_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._update_refund_button()

    def _update_refund_button(self) -> None:
        chosen = self.current_payment_id() is not None
        self.refund_button.setEnabled(chosen)
        self.refund_button.setToolTip(
            "Request a refund of the selected payment" if chosen else "Select a payment first."
        )

    # --- tabs -----------------------------------------------------------------------------------
    def _on_tabs_current_changed(self, _index: int) -> None:
        self.parts.show()
