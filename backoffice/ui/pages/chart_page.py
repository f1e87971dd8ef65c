"""ChartPage: one client's chart. The header, the risk-over-time strip, the timeline of sessions and,
beside it, the chosen session's note laid out for reading with its additional notes and, for the
therapist who held it, an editor to add one.

Everything goes through its source on a worker (`chart_source`): online `chart.get_chart` for the
chart (metadata only), `notes.open_note` for a note's content (the opening is on record before the
content comes back; a note read once stays on screen for this chart without being fetched again),
and `chart.add_additional_note` to write; offline the copy on this computer. The page reloads when
a workflow changed what it shows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import BackofficeError
from backoffice.services.changes import Area, Changes
from backoffice.services.chart import ChartEntry, ClientChart
from backoffice.services.login import StaffSession
from backoffice.services.notes import NoteDetail
from backoffice.ui.pages.additional_notes_panel import AdditionalNotesPanel
from backoffice.ui.pages.chart_header import ChartHeader
from backoffice.ui.pages.chart_source import ChartSource, chart_source
from backoffice.ui.pages.chart_timeline import ChartTimeline
from backoffice.ui.qt_helpers import named
from backoffice.ui.widgets.action_runner import ActionRunner
from backoffice.ui.widgets.figure_tile import muted
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.ui.widgets.note_view import NoteView
from backoffice.ui.widgets.risk_strip import RiskStrip
from backoffice.values import moment_text

SHOWS = (Area.ADDITIONAL_NOTES, Area.NOTES, Area.APPOINTMENTS, Area.BOOKINGS, Area.CLIENTS)
LEGEND = (
    "<span style='color:#3ea060'>■</span> low &nbsp; <span style='color:#e2a028'>■</span> medium"
    " &nbsp; <span style='color:#d64034'>■</span> high &nbsp; <span style='color:#d64034'>▼</span>"
    " self-harm mentioned &nbsp; □ no note"
)


def session_message(entry: ChartEntry) -> str:
    """What the note pane says for a session without a note to read."""
    s = entry.session
    when = moment_text(s.starts_at, weekday=True) if s.starts_at else "an undated session"
    if entry.upcoming:
        return f"Upcoming session on {when} ({s.mode or 'mode not set'}, {s.status or 'booked'})."
    if s.note_due:
        return f"The note for the session on {when} is due: it ended over 48 hours ago."
    if (s.status or "").lower() == "cancelled":
        return f"The session on {when} was cancelled."
    return f"No note was written for the session on {when}."


def written_by(entry: ChartEntry) -> str | None:
    if not entry.by_previous_therapist:
        return None
    return (
        f"Written by {entry.session.therapist_name or 'another therapist'}, the client's previous "
        "therapist, and shared with you at the transfer. Read only."
    )


class ChartPage(QWidget):
    chart_loaded = Signal(object)  # the ClientChart shown
    note_shown = Signal(object)  # the NoteDetail shown
    note_saved = Signal(object)  # the AdditionalNoteResult
    failed = Signal(str)  # the sentence shown
    back_requested = Signal()

    def __init__(self, session: StaffSession | ChartSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = chart_source(session)
        self.chart: ClientChart | None = None
        self.read_notes: dict[int, NoteDetail] = {}  # read (and recorded) while this chart is open
        self._opening: set[int] = set()  # notes being opened now
        self._target: dict[str, Any] = {}
        self._stale = False
        self._saving = False
        self._actions = ActionRunner(self, on_changed=self._update_buttons, on_failed=self._fail)
        self._build()

    def _build(self) -> None:
        self.back_button = named(QPushButton("← Back"), "chart_back")
        self.back_button.clicked.connect(self.back_requested)
        self.refresh_button = named(QPushButton("Refresh"), "chart_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.header = ChartHeader()
        top = QHBoxLayout()
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.header, 1)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        self.status = MessageArea("chart_status")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addLayout(self._strip())
        layout.addWidget(self._body(), 1)
        layout.addWidget(self.status)

    def _strip(self) -> QVBoxLayout:
        self.strip = RiskStrip()
        self.strip.session_clicked.connect(self._select)
        caption = QHBoxLayout()
        caption.addWidget(QLabel("<b>Risk over time</b>"))
        caption.addStretch(1)
        caption.addWidget(muted(QLabel(LEGEND)))
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addLayout(caption)
        box.addWidget(self.strip)
        return box

    def _body(self) -> QSplitter:
        self.timeline = ChartTimeline()
        self.timeline.session_selected.connect(self._on_timeline_session_selected)
        self.note_view = NoteView(with_earlier=False)
        self.note_view.show_message("Choose a session on the timeline to read its note.")
        self.additional = AdditionalNotesPanel()
        self.additional.save_requested.connect(self._on_additional_save_requested)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.note_view)
        side.addWidget(self.additional)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 1)
        side.setSizes([520, 240])
        body = named(QSplitter(), "chart_splitter")
        body.addWidget(self.timeline)
        body.addWidget(side)
        body.setStretchFactor(0, 2)
        body.setStretchFactor(1, 3)
        body.setSizes([640, 640])
        return body

    # --- loading ----------------------------------------------------------------------------
    def show_chart(self, **target: Any) -> None:
        """Open the chart of a client, or of a session's or a note's client (focused on it)."""
        self._target = target
        self.chart, self.read_notes, self._opening = None, {}, set()
        self.note_view.show_message("Loading the chart…")
        self._load()

    def refresh(self) -> None:
        if self._target:
            self._load()

    def on_changes(self, changes: Changes) -> None:
        if self._target and changes.touches(*SHOWS):
            self._stale = not self.isVisible()
            if not self._stale:
                self._load()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self._load()

    def is_busy(self) -> bool:
        return self._actions.busy

    def _load(self) -> None:
        target = dict(self._target)
        kept = self.timeline.selected_booking() if self.chart is not None else None
        if self.chart is not None:  # again: the same client, the same session in view
            target = {"client_id": self.chart.client_id}
        self.status.show_message("Loading the chart…")
        known = set(self.read_notes)
        self._actions.start(lambda: self._chart_and_note(target, kept, known), self._on_loaded)

    def _chart_and_note(
        self, target: dict[str, Any], kept: str | None, known: set[int]
    ) -> tuple[ClientChart, str | None, NoteDetail | None]:
        """On a worker: the chart, the session to show, and its note opened in the same go (one
        trip to the worker for the first paint). A note that fails to open here is tried again
        when shown, where its failure is told."""
        chart = self.source.get_chart(**target)
        booking = kept or chart.focus_booking_id or _first_to_read(chart)
        entry = chart.entry(booking)
        note_id = entry.session.note_id if entry else None
        if note_id is None or note_id in known:
            return chart, booking, None
        try:
            return chart, booking, self.source.open_note(note_id=note_id)
        except BackofficeError:
            return chart, booking, None

    def _on_loaded(self, loaded: tuple[ClientChart, str | None, NoteDetail | None]) -> None:
        chart, booking, detail = loaded
        if detail is not None:
            self.read_notes[detail.note_id] = detail
        self.chart = chart
        self.header.show_chart(chart, self.source.viewer_therapist_id)
        self.strip.set_sessions(
            [s for s in chart.history if (s.status or "").lower() != "cancelled"]
        )
        self.timeline.show_chart(chart)
        self.status.show_message(f"Chart as of {moment_text(chart.as_of, zone=True)}.")
        self._select(booking)
        self.chart_loaded.emit(chart)

    # --- a session and its note -------------------------------------------------------------
    def _on_timeline_session_selected(self, booking_id: str) -> None:
        self._show_session(booking_id)

    def _select(self, booking_id: str | None) -> None:
        """Make the session current on the timeline, which shows it (at once if it was already)."""
        if booking_id is not None and self.timeline.selected_booking() == booking_id:
            self._show_session(booking_id)
        elif booking_id is None or not self.timeline.select(booking_id):
            self.note_view.show_message("This client has no sessions to show yet.")
            self.additional.show_entry(None, may_write=False)

    def _show_session(self, booking_id: str) -> None:
        entry = self.chart.entry(booking_id) if self.chart else None
        if entry is None:
            return
        self.strip.select(booking_id)
        self.additional.show_entry(entry, may_write=self.chart.may_write if self.chart else False)
        self._session_shown(entry)
        note_id = entry.session.note_id
        if note_id is None:
            self.note_view.show_message(session_message(entry))
        elif note_id in self.read_notes:
            self._show_note(self.read_notes[note_id])
        else:
            self.note_view.show_message("Opening the note… (the opening is recorded first)")
            if note_id in self._opening:
                return
            self._opening.add(note_id)
            source = self.source
            self._actions.start(lambda: source.open_note(note_id=note_id), self._on_note_opened)

    def _session_shown(self, entry: ChartEntry) -> None:
        """A session is in view (its note shown or on its way): for pages that show more."""

    def _on_note_opened(self, detail: NoteDetail) -> None:
        self._opening.discard(detail.note_id)
        self.read_notes[detail.note_id] = detail
        entry = self.chart.entry(self.timeline.selected_booking()) if self.chart else None
        if entry is not None and entry.session.note_id == detail.note_id:
            self._show_note(detail)

    def _show_note(self, detail: NoteDetail) -> None:
        entry = self.chart.entry(detail.booking_id) if self.chart else None
        self.note_view.show_note(detail, written_by=written_by(entry) if entry else None)
        self.note_shown.emit(detail)

    # --- writing ----------------------------------------------------------------------------
    def _on_additional_save_requested(self, booking_id: str, text: str) -> None:
        self._saving = True
        source = self.source
        self._actions.start(
            lambda: source.add_note(booking_id=booking_id, text=text), self._on_saved
        )

    def _on_saved(self, result: Any) -> None:
        self._saving = False
        self.additional.saved()
        self.status.show_message(self.source.saved_sentence(result))
        self.note_saved.emit(result)

    # --- plumbing ---------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        self.refresh_button.setEnabled(not self.is_busy())
        self.additional.set_busy(self.is_busy())

    def _fail(self, sentence: str) -> None:
        self._opening.clear()  # a note that failed to open may be tried again
        self.status.show_message(sentence, error=True)
        if self.chart is None:
            self.note_view.show_message(sentence)
        if self._saving:
            self._saving = False
            self.additional.failed(sentence)
        self.failed.emit(sentence)


def _first_to_read(chart: ClientChart) -> str | None:
    """The latest past session with a note, else the latest past one, else the next one."""
    noted = next((e for e in chart.past if e.session.note_id is not None), None)
    chosen = noted or (chart.past[0] if chart.past else None) or next(iter(chart.upcoming), None)
    return chosen.session.booking_id if chosen else None
