"""CaseloadPage (a therapist's "My caseload"): their clients, soonest next session first, with the last
session, how many so far, the latest risk and a mark when self-harm was ever mentioned. Type to
search; double-click a client (or press Open chart) to open their chart. Online it reads the
server, offline the copy on this computer (`chart_source`)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from backoffice.services.changes import Area
from backoffice.services.chart import CaseloadRow
from backoffice.services.login import StaffSession
from backoffice.ui.chart_links import open_chart
from backoffice.ui.pages.chart_source import ChartSource, chart_source
from backoffice.ui.qt_helpers import named
from backoffice.ui.widgets.action_runner import ActionRunner
from backoffice.ui.widgets.figure_tile import scaled_font
from backoffice.ui.widgets.lazy_parts import LazyPage, LazyParts, Part
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.ui.widgets.record_table import record_table
from backoffice.ui.widgets.record_table_model import Column, RecordTableModel
from backoffice.values import count_text, counted, moment_text

SHOWS = {Area.CLIENTS, Area.APPOINTMENTS, Area.BOOKINGS, Area.NOTES}


def _when(value: dt.datetime | None) -> str:
    return moment_text(value, weekday=True) if value is not None else "—"


def _risk(row: CaseloadRow) -> str:
    if row.latest_risk is None and not row.latest_high_risk:
        return "—"
    return (row.latest_risk or "high").capitalize()


COLUMNS: tuple[Column[CaseloadRow], ...] = (
    Column("Client", lambda r: r.client_name or r.client_id),
    Column("Next session", lambda r: _when(r.next_session)),
    Column("Last session", lambda r: _when(r.last_session)),
    Column("Sessions so far", lambda r: count_text(r.sessions_so_far), numeric=True),
    Column("Latest risk", _risk),
    Column("Self-harm", lambda r: "⚑ mentioned" if r.self_harm_ever else ""),
    Column("Notes due", lambda r: count_text(r.notes_due) if r.notes_due else "", numeric=True),
)


class CaseloadPage(LazyPage):
    loaded = Signal(object)  # the rows shown
    failed = Signal(str)

    def __init__(self, session: StaffSession | ChartSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = chart_source(session)
        self.model: RecordTableModel[CaseloadRow] = RecordTableModel(
            COLUMNS, emphasis=lambda r: r.latest_high_risk
        )
        self._actions = ActionRunner(self, on_changed=self._update_buttons, on_failed=self._fail)
        self.parts = LazyParts(self, [Part(SHOWS, self._load)])
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.refresh)
        self._build()

    def _build(self) -> None:
        title = QLabel("My caseload")
        title.setFont(scaled_font(self, 1.6, bold=True))
        self.search_box = named(
            QLineEdit(), "caseload_search", placeholderText="Search your clients by name…"
        )
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.open_button = named(QPushButton("Open chart"), "caseload_open_chart")
        self.open_button.clicked.connect(self.open_current)
        bar = QHBoxLayout()
        bar.addWidget(self.search_box, 1)
        bar.addWidget(self.open_button)
        self.table = record_table("caseload_table", self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.status = MessageArea("caseload_status")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._update_buttons()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def is_busy(self) -> bool:
        return self._actions.busy

    def _load(self) -> None:
        search, source = self.search_box.text().strip() or None, self.source
        self._actions.start(lambda: source.list_caseload(search=search), self._on_loaded)

    def _on_loaded(self, rows: tuple[CaseloadRow, ...]) -> None:
        self.model.set_records(rows)
        self.table.resizeColumnsToContents()
        at_risk = sum(r.latest_high_risk for r in rows)
        due = sum(r.notes_due for r in rows)
        self.status.show_message(
            f"{counted(len(rows), 'client')} · {count_text(at_risk)} at risk in their latest "
            f"note · {counted(due, 'note')} due.",
        )
        self.loaded.emit(rows)

    def current_row(self) -> CaseloadRow | None:
        return self.model.record(self.table.currentIndex().row())

    def open_current(self) -> None:
        row = self.current_row()
        if row is not None:
            open_chart(self, client_id=row.client_id)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.table.setCurrentIndex(index)
        self.open_current()

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.current_row() is not None)

    def _fail(self, sentence: str) -> None:
        self.status.show_message(sentence, error=True)
        self.failed.emit(sentence)
