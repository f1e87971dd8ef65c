"""TransferForm: a transfer's choices: who takes the clients, from when, why, what they may read.

For one client, the new therapist (nobody chosen at first: a wrong default is worse than none);
for a caseload, all to one therapist or spread by remaining capacity over the ones ticked. The
effective date starts on the clinic's today. The dialog that holds the form previews, confirms and
transfers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from backoffice.services.therapists import TherapistRow
from backoffice.ui.qt_helpers import named
from backoffice.values import QT_DATE_FORMAT, clinic_today, counted, date_text


def capacity_words(t: TherapistRow) -> str:
    """ "12 clients with sessions to come, room for 4 more" (or "3 over capacity")."""
    seeing = f"{counted(t.active_clients, 'client')} with sessions to come"
    room = t.remaining_capacity
    if room < 0:
        return f"{seeing}, {-room} over a capacity of {t.capacity}"
    return f"{seeing}, room for {room} more" if room else f"{seeing}, at capacity"


def therapist_label(t: TherapistRow) -> str:
    """How a therapist is offered; an expired registration is said (the transfer refuses them)."""
    label = f"{t.name} — {capacity_words(t)}"
    if t.registration_expired and t.registration_expires_on is not None:
        label += f" — ⚠ registration expired {date_text(t.registration_expires_on)}"
    return label


class TransferForm(QWidget):
    targets_changed = Signal()  # who takes the clients, or from when: a preview no longer holds

    def __init__(self, *, bulk: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bulk = bulk
        self._build_choices()
        self._build_details()
        self._lay_out()
        for signal in (
            self.target.currentIndexChanged,
            self.all_to_one.toggled,
            self.targets.itemChanged,
            self.effective.dateChanged,
        ):
            signal.connect(lambda *_args: self.targets_changed.emit())

    def _build_choices(self) -> None:
        self.target = named(QComboBox(), "transfer_target")
        self.target.setPlaceholderText("Choose the therapist…")
        self.all_to_one = named(
            QRadioButton("All to one therapist"), "transfer_all_to_one", checked=True
        )
        self.spread = named(QRadioButton("Spread by remaining capacity over:"), "transfer_spread")
        self.targets = named(QListWidget(), "transfer_targets", maximumHeight=110)
        today = clinic_today()
        self.effective = named(
            QDateEdit(QDate(today.year, today.month, today.day)),
            "transfer_effective",
            calendarPopup=True,
            displayFormat=QT_DATE_FORMAT,
        )

    def _build_details(self) -> None:
        self.reason = named(
            QLineEdit(), "transfer_reason", placeholderText="Why the client moves (required)"
        )
        self.note = named(
            QPlainTextEdit(),
            "transfer_note",
            maximumHeight=60,
            placeholderText="Handover note for the new therapist",
            tabChangesFocus=True,
        )
        self.share = named(
            QCheckBox("The new therapist may read past session notes"), "transfer_share"
        )
        self.override = named(
            QLineEdit(),
            "transfer_override",
            placeholderText="Reason to exceed capacity (only if needed)",
        )

    def _lay_out(self) -> None:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)  # the dialog's own margins frame it
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

    def offer(self, therapists: tuple[TherapistRow, ...], *, giving: str | None) -> None:
        """Offer every active therapist but the one giving the clients, ticked for a spread unless
        their registration has expired (flagged in the label; the transfer refuses them)."""
        for t in therapists:
            if t.therapist_id == giving or not t.is_active:
                continue
            self.target.addItem(therapist_label(t), t.therapist_id)
            item = QListWidgetItem(therapist_label(t))
            item.setData(Qt.ItemDataRole.UserRole, t.therapist_id)
            expired = t.registration_expired
            item.setCheckState(Qt.CheckState.Unchecked if expired else Qt.CheckState.Checked)
            self.targets.addItem(item)
        self.target.setCurrentIndex(-1)

    def choose_target(self, therapist_id: str) -> None:
        self.target.setCurrentIndex(self.target.findData(therapist_id))

    def target_name(self) -> str:
        """The name of the therapist chosen for one client ("" while nobody is)."""
        return self.target.currentText().split(" — ")[0]

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

    def common_arguments(self) -> dict[str, Any]:
        """What a client transfer and a caseload transfer both take from the form."""
        return {
            "reason": self.reason.text().strip(),
            "handover_note": self.note.toPlainText().strip() or None,
            "share_past_notes": self.share.isChecked(),
            "capacity_override_reason": self.override.text().strip() or None,
        }
