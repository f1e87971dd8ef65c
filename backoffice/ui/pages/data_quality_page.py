"""Data quality: disagreements between the tables that repeat the same facts, and their repair."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from backoffice.services.session import StaffSession
from backoffice.ui.pages.consistency_panel import ConsistencyPanel


class DataQualityPage(QWidget):
    def __init__(self, session: StaffSession) -> None:
        super().__init__()
        self.consistency = ConsistencyPanel(session, self)
        self._loaded = False
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Data quality</h2>"))
        layout.addWidget(
            QLabel(
                "Where therapists, users, staff accounts and approved applications disagree. "
                "Payments whose refund fields disagree are on the Payments and refunds page."
            )
        )
        layout.addWidget(self.consistency, 1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.refresh()

    def refresh(self) -> None:
        self.consistency.refresh()
        self.orphaned_notes.refresh()
