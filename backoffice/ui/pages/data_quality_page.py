"""Data quality: disagreements between the tables that repeat the same facts, and their repair."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from backoffice.services.changes import Changes
from backoffice.services.login import StaffSession
from backoffice.ui.pages.consistency_panel import ConsistencyPanel
from backoffice.ui.pages.orphaned_notes_panel import OrphanedNotesPanel
from backoffice.ui.widgets.lazy_parts import LazyParts, Part


class DataQualityPage(QWidget):
    def __init__(self, session: StaffSession) -> None:
        super().__init__()
        self.consistency = ConsistencyPanel(session, self)
        self.orphaned_notes = OrphanedNotesPanel(session, self)
        parts = [
            Part(ConsistencyPanel.shows, self.consistency.refresh),
            Part(OrphanedNotesPanel.shows, self.orphaned_notes.refresh),
        ]
        self._parts = LazyParts(self, parts, in_view=lambda: (0, 1))  # both load when shown
        tabs = QTabWidget()
        tabs.addTab(self.consistency, "Therapist records")
        tabs.addTab(self.orphaned_notes, "Orphaned session notes")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Data quality</h2>"))
        explanation = QLabel(
            "Where tables that repeat the same facts disagree, and how to repair them. "
            "Payments whose refund fields disagree are on the Payments and refunds page."
        )
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        layout.addWidget(tabs, 1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._parts.show()

    def refresh(self) -> None:
        self._parts.reload()

    def on_changes(self, changes: Changes) -> None:
        self._parts.on_changes(changes)
