"""TherapistsPage: therapist applications (queue, the application beside its documents, decisions),
the therapists themselves (deactivate, transfer a caseload), the history of decisions and, for those
who may see it, the consistency check. Each tab loads the first time it is shown, and again when a
workflow changed what it shows.
"""

from __future__ import annotations

import html
from functools import partial

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from backoffice.services.changes import Area
from backoffice.services.login import StaffSession
from backoffice.services.permissions import Permission
from backoffice.services.therapists import DecisionRow, list_decisions
from backoffice.ui.dialogs.questions import AskText, Confirm, ask_text, confirm
from backoffice.ui.pages import therapist_roster_panel
from backoffice.ui.pages.applications_panel import ApplicationsPanel
from backoffice.ui.pages.consistency_panel import ConsistencyPanel
from backoffice.ui.pages.therapist_roster_panel import TherapistRosterPanel
from backoffice.ui.qt_helpers import named
from backoffice.ui.service_call import call
from backoffice.ui.tasks import run_op, user_message
from backoffice.ui.widgets.lazy_parts import LazyPage, LazyParts, Part, in_view_of
from backoffice.ui.widgets.record_table import fit_columns, record_table
from backoffice.ui.widgets.record_table_model import Column, RecordTableModel
from backoffice.values import counted, datetime_text, id_text

HISTORY_COLUMNS: tuple[Column[DecisionRow], ...] = (
    Column("When", lambda d: datetime_text(d.occurred_at, zone=True)),
    Column("Applicant", lambda d: d.applicant or ""),
    Column("Decision", lambda d: d.action.replace("_", " ")),
    Column("By", lambda d: d.actor),
    Column("Message", lambda d: d.message or ""),
    Column("Application id", lambda d: id_text(d.application_id), numeric=True),
)


class TherapistsPage(LazyPage):
    def __init__(
        self,
        session: StaffSession,
        *,
        confirm: Confirm = confirm,
        ask_text: AskText = ask_text,
        dialog_factory: therapist_roster_panel.DialogFactory = therapist_roster_panel.open_transfer_dialog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.applications = ApplicationsPanel(session, confirm=confirm)
        self.roster = TherapistRosterPanel(
            session, ask_text=ask_text, confirm=confirm, dialog_factory=dialog_factory
        )
        self.history_model: RecordTableModel[DecisionRow] = RecordTableModel(HISTORY_COLUMNS)
        self.history = record_table("decision_history", self.history_model)
        self.history_status = named(QLabel(), "decision_history_status", wordWrap=True)
        self.tabs = named(QTabWidget(), "therapists_tabs")
        self.tabs.addTab(self.applications, "Applications")
        self.tabs.addTab(self.roster, "Therapists")
        self.tabs.addTab(self._history_tab(), "History of decisions")
        self.consistency: ConsistencyPanel | None = None
        self.parts = LazyParts(self, self._parts(), in_view_of(self.tabs.currentIndex))
        self.tabs.currentChanged.connect(lambda _index: self.parts.show())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Therapists and applications</h2>"))
        layout.addWidget(self.tabs, 1)

    def _parts(self) -> list[Part]:
        """What each tab shows, in tab order; the consistency tab only for those who may see it."""
        parts = [
            Part({Area.APPLICATIONS}, self.applications.refresh),
            Part({Area.THERAPISTS, Area.CLIENTS}, self.roster.refresh),
            Part({Area.APPLICATIONS}, self.refresh_history),
        ]
        if self.session.actor.may(Permission.VIEW_DATA_QUALITY):
            self.consistency = ConsistencyPanel(self.session)
            self.tabs.addTab(self.consistency, "Consistency")
            parts.append(Part(ConsistencyPanel.shows, self.consistency.refresh))
        return parts

    def _history_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.history_status)
        return tab

    # --- what the window calls ------------------------------------------------------------------
    def focus_search(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.roster.search.setFocus()
        else:
            self.tabs.setCurrentIndex(0)
            self.applications.focus_search()

    def close_page(self) -> None:
        """Nothing to release: every load is a short operation of its own."""

    # --- the history tab ------------------------------------------------------------------------
    def refresh_history(self) -> None:
        run_op(
            partial(call, self.session, list_decisions),
            on_success=self._on_history_loaded,
            on_failure=lambda error: self.history_status.setText(html.escape(user_message(error))),
            context=self,
        )

    def _on_history_loaded(self, rows: tuple[DecisionRow, ...]) -> None:
        self.history_model.set_records(rows)
        fit_columns(self.history)
        self.history_status.setText(f"{counted(len(rows), 'decision')}, newest first.")


def therapists_page(session: StaffSession) -> QWidget:
    """The factory for the page registry."""
    return TherapistsPage(session)
