"""DraftsPage (offline): every draft written on this computer, what each waits for (the next
sync, the therapist's decision on a conflict) or why the server kept it out, with its chart a
double-click away. Drafts of a client no longer on the caseload are only here."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.changes import Area
from backoffice.services.offline import (
    Draft,
    OfflineCopy,
    discard_draft,
    list_drafts,
    read_caseload,
)
from backoffice.ui.chart_links import open_chart
from backoffice.ui.dialogs.offline_dialogs import confirm_discard
from backoffice.ui.offline_session import OfflineSession
from backoffice.ui.qt_helpers import named
from backoffice.ui.widgets.action_runner import ActionRunner
from backoffice.ui.widgets.figure_tile import scaled_font
from backoffice.ui.widgets.lazy_parts import LazyPage, LazyParts, Part
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.ui.widgets.record_table import record_table
from backoffice.ui.widgets.record_table_model import Column, RecordTableModel
from backoffice.values import counted, moment_text

STATES = {
    "draft": "Waits for the next sync",
    "uploaded": "Uploaded",
    "kept": "Kept here",
    "conflict": "Conflict: choose in the chart",
}
Listed = tuple[Draft, str]  # a draft and its client's name


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 80 else line[:79] + "…"


COLUMNS: tuple[Column[Listed], ...] = (
    Column("Client", lambda r: r[1]),
    Column("Written", lambda r: moment_text(r[0].edited_at)),
    Column("State", lambda r: STATES.get(r[0].state, r[0].state)),
    Column("Note", lambda r: _first_line(r[0].text)),
    Column("Why", lambda r: r[0].message or ""),
)


class DraftsPage(LazyPage):
    loaded = Signal(object)  # the drafts shown

    def __init__(self, session: OfflineSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model: RecordTableModel[Listed] = RecordTableModel(
            COLUMNS, emphasis=lambda r: r[0].state in ("kept", "conflict")
        )
        self._actions = ActionRunner(self, on_changed=self._update_buttons, on_failed=self._fail)
        self.parts = LazyParts(self, [Part({Area.ADDITIONAL_NOTES, Area.NOTES}, self._load)])
        self._build()

    def _build(self) -> None:
        title = QLabel("Drafts on this computer")
        title.setFont(scaled_font(self, 1.6, bold=True))
        self.open_button = named(QPushButton("Open chart"), "drafts_open_chart")
        self.open_button.clicked.connect(self.open_current)
        self.discard_button = named(QPushButton("Discard…"), "drafts_discard")
        self.discard_button.clicked.connect(self._on_discard_clicked)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.open_button)
        bar.addWidget(self.discard_button)
        self.table = record_table("drafts_table", self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.status = MessageArea("drafts_status")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._update_buttons()

    def _load(self) -> None:
        copy = self.session.copy
        self._actions.start(lambda: _drafts_with_names(copy), self._on_loaded)

    def _on_loaded(self, rows: tuple[Listed, ...]) -> None:
        self.model.set_records(rows)
        self.table.resizeColumnsToContents()
        waiting = sum(d.pending for d, _ in rows)
        self.status.show_message(
            f"{counted(len(rows), 'draft')} on this computer, {waiting} waiting for a sync."
            if rows
            else "No drafts: additional notes you write offline wait here for the next sync.",
        )
        self.loaded.emit(rows)

    def current(self) -> Draft | None:
        row = self.model.record(self.table.currentIndex().row())
        return row[0] if row else None

    def open_current(self) -> None:
        draft = self.current()
        if draft is not None:
            open_chart(self, booking_id=draft.booking_id)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.table.setCurrentIndex(index)
        self.open_current()

    def _on_discard_clicked(self) -> None:
        draft, copy = self.current(), self.session.copy
        if draft is None or not confirm_discard(self):
            return
        self._actions.start(lambda: discard_draft(copy, draft_id=draft.draft_id), self._done)

    def _done(self, _result: object) -> None:
        self.status.show_message("The draft is discarded.")

    def _update_buttons(self) -> None:
        for button in (self.open_button, self.discard_button):
            button.setEnabled(self.current() is not None and not self._actions.busy)

    def _fail(self, sentence: str) -> None:
        self.status.show_error(sentence)


def _drafts_with_names(copy: OfflineCopy) -> tuple[Listed, ...]:
    names = {r.client_id: r.client_name or r.client_id for r in read_caseload(copy)}
    return tuple((d, names.get(d.client_id, d.client_id)) for d in list_drafts(copy))
