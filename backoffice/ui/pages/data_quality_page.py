"""Data quality: disagreements between the tables that repeat the same facts, and their repair."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout

from backoffice.services.login import StaffSession
from backoffice.ui.pages.consistency_panel import ConsistencyPanel
from backoffice.ui.pages.orphaned_notes_panel import OrphanedNotesPanel
from backoffice.ui.widgets.lazy_parts import LazyPage, LazyParts, Part


class DataQualityPage(LazyPage):
    def __init__(self, session: StaffSession) -> None:
        super().__init__()
        self.consistency = ConsistencyPanel(session, self)
        self.orphaned_notes = OrphanedNotesPanel(session, self)
        parts = [
            Part(ConsistencyPanel.shows, self.consistency.refresh),
            Part(OrphanedNotesPanel.shows, self.orphaned_notes.refresh),
        ]
        self.parts = LazyParts(self, parts, in_view=lambda: (0, 1))  # both load when shown
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
