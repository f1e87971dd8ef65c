"""NoteReviewPage: the review queue (risk first), the note read only, and the reviewer's verdict.

Selecting a note opens it through `notes.open_note`, which puts the opening on record before the
note comes back; sessions still waiting for a note show who owes it. Each note starts with no
outcome chosen and an empty comment (nothing carries over from the note before). The verdict is
checked here on the GUI thread with the service's rule ("no action" on a high-risk note needs a
comment); once written, the queue loads again without the note and says what was recorded.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.changes import Area
from backoffice.services.login import StaffSession
from backoffice.services.notes import (
    NoteDetail,
    QueueCounts,
    QueueRow,
    ReviewRow,
    count_review_queue,
    list_review_queue,
    open_note,
    review_note,
)
from backoffice.services.permissions import Permission
from backoffice.ui.pages.note_queue_words import COLUMNS, OUTCOMES, queue_words, session_when
from backoffice.ui.pages.risk_scan_status import RiskScanStatus
from backoffice.ui.qt_helpers import choice_box, named
from backoffice.ui.service_call import call
from backoffice.ui.widgets.action_runner import ActionRunner
from backoffice.ui.widgets.figure_tile import muted
from backoffice.ui.widgets.lazy_parts import LazyPage, LazyParts, Part
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.ui.widgets.note_view import NoteView
from backoffice.ui.widgets.record_table import fit_columns, record_table
from backoffice.ui.widgets.record_table_model import RecordTableModel
from backoffice.values import counted

SHOW = (("To review", False), ("Reviewed", True), ("Everything", None))
RISKS = (
    ("Any risk", None),
    ("High", "high"),
    ("Self-harm", "self_harm"),
    ("Risk language in the text", "text"),
    ("Medium", "medium"),
    ("Low", "low"),
)
NEEDS_COMMENT = (
    "This note records a high risk, a self-harm mention or risk language in its text: "
    "to mark it 'no action', say in the comment why no action is needed."
)


class NoteReviewPage(LazyPage):
    note_opened = Signal(object)  # the NoteDetail shown
    reviewed = Signal(object)  # the ReviewRow written
    failed = Signal(str)  # the sentence shown

    def __init__(self, session: StaffSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model: RecordTableModel[QueueRow] = RecordTableModel(
            COLUMNS, emphasis=lambda r: r.kind == "risk"
        )
        self._actions = ActionRunner(
            self, on_changed=self._update_form, on_failed=self._on_action_failed
        )
        # The queue shows notes, their reviews and the sessions still waiting for a note.
        shows = {Area.NOTES, Area.NOTE_REVIEWS, Area.BOOKINGS}
        self.parts = LazyParts(self, [Part(shows, self._load_queue, self._open_queue)])
        self._build()
        if not session.actor.may(Permission.REVIEW_NOTES):
            self.setEnabled(False)
            self.note_view.show_message(
                "The review queue is for clinical reviewers; your role "
                "reads notes from your own caseload."
            )

    def _build(self) -> None:
        self.table = record_table("notes_queue", self.model)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        why = next(i for i, c in enumerate(COLUMNS) if c.header == "Why")
        self.table.setColumnWidth(why, 280)  # the reason reads: "Text mentions: 'marna chahti'"
        self.status = MessageArea("notes_status")
        self.risk_scan = RiskScanStatus(self.session)
        # Notes the scan flagged move to the risk section: the queue is read again.
        self.risk_scan.scanned.connect(lambda r: self._load_queue() if r.flagged else None)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self._note_and_verdict())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([620, 420])
        self.status.clear_error_on(
            self.table.selectionModel().currentRowChanged,
            self.outcome.currentIndexChanged,
            self.comment.textChanged,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Session notes: review queue</h2>"))
        layout.addLayout(self._filter_bar())
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.risk_scan)
        self._update_form()

    def _filter_bar(self) -> QHBoxLayout:
        self.show_filter = choice_box("notes_show", SHOW)
        self.risk_filter = choice_box("notes_risk", RISKS)
        self.therapist_filter = choice_box("notes_therapist", (("All therapists", None),))
        self.refresh_button = named(QPushButton("Refresh"), "notes_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.count = muted(named(QLabel(), "notes_count"))
        bar = QHBoxLayout()
        for widget in (self.show_filter, self.risk_filter, self.therapist_filter):
            widget.currentIndexChanged.connect(lambda _index: self.refresh())
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.count)
        bar.addWidget(self.refresh_button)
        return bar

    def _note_and_verdict(self) -> QWidget:
        """The note read only, and below it the reviewer's outcome, comment and submit."""
        self.note_view = NoteView()
        self.outcome = choice_box("review_outcome", ((label, code) for code, label in OUTCOMES))
        self.outcome.setPlaceholderText("Choose the outcome…")
        self.outcome.setCurrentIndex(-1)
        self.comment = named(
            QPlainTextEdit(), "review_comment", placeholderText="Comment (why, what next)"
        )
        self.comment.setMaximumHeight(80)
        self.comment.setTabChangesFocus(True)  # Tab moves on to "Mark reviewed"
        self.submit = named(QPushButton("Mark reviewed"), "review_submit")
        self.submit.clicked.connect(self._on_submit_clicked)
        verdict = QHBoxLayout()
        verdict.addWidget(self.outcome, 1)
        verdict.addWidget(self.submit)
        side = QWidget()
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note_view, 1)
        layout.addWidget(self.comment)
        layout.addLayout(verdict)
        return side

    # --- the queue ------------------------------------------------------------------------------
    def _open_queue(self) -> None:
        """The first time: the queue, and new or edited notes checked for risk language."""
        self._load_queue()
        self.risk_scan.start()

    def _load_queue(self) -> None:
        filters = {
            "reviewed": self.show_filter.currentData(),
            "risk": self.risk_filter.currentData(),
            "therapist_id": self.therapist_filter.currentData(),
        }
        self._actions.start(
            lambda: (
                call(self.session, list_review_queue, **filters),
                call(self.session, count_review_queue, **filters),
            ),
            self._on_loaded,
        )

    def is_busy(self) -> bool:
        """A call or the risk-language check still running."""
        return self._actions.busy or self.risk_scan.running

    def _on_loaded(self, loaded: tuple[tuple[QueueRow, ...], QueueCounts]) -> None:
        rows, counts = loaded
        self.model.set_records(rows)
        fit_columns(self.table)
        self._offer_therapists(rows)
        text = sum(r.kind == "risk" and r.text_risk for r in rows)
        self.count.setText(queue_words(counts, len(rows), text))

    def _offer_therapists(self, rows: tuple[QueueRow, ...]) -> None:
        known = {self.therapist_filter.itemData(i) for i in range(self.therapist_filter.count())}
        self.therapist_filter.blockSignals(True)
        for row in sorted(rows, key=lambda r: r.therapist_name or ""):
            if row.therapist_id and row.therapist_id not in known:
                known.add(row.therapist_id)
                self.therapist_filter.addItem(
                    row.therapist_name or row.therapist_id, row.therapist_id
                )
        self.therapist_filter.blockSignals(False)

    def select_row(self, row: int) -> None:
        self.table.setCurrentIndex(self.model.index(row, 0))

    def _on_table_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._clear_verdict()
        row = self.model.record(current.row())
        if row is None:
            self.note_view.show_message("Select a note in the queue to read it.")
            self._update_form()
            return
        if row.note_id is None:
            self.note_view.show_message(
                f"No note yet for {row.client_name}'s session on {session_when(row)}: "
                f"{row.therapist_name} owes it ({counted(row.hours_overdue or 0, 'hour')} past "
                "the 48-hour deadline)."
            )
            self._update_form()
            return
        note_id = row.note_id
        self.note_view.show_message(f"Opening the note on {row.client_name}'s session…")
        self._actions.start(lambda: call(self.session, open_note, note_id=note_id), self._on_opened)

    def _on_opened(self, detail: NoteDetail) -> None:
        current = self.model.record(self.table.currentIndex().row())
        if current is None or current.note_id != detail.note_id:
            return  # the person moved on meanwhile
        self.note_view.show_note(detail)
        self._clear_verdict()
        self.note_opened.emit(detail)

    def _clear_verdict(self) -> None:
        """A new note starts with no outcome and no comment: nothing leaks from the last one."""
        self.outcome.setCurrentIndex(-1)
        self.comment.clear()

    # --- the verdict ----------------------------------------------------------------------------
    def checked_review(self) -> dict[str, Any]:
        """The form as `review_note` arguments, or ValueError with the sentence to show."""
        detail = self.note_view.detail
        if detail is None:
            raise ValueError("Open a note first.")
        outcome, comment = self.outcome.currentData(), self.comment.toPlainText().strip()
        if outcome is None:
            raise ValueError("Choose the outcome of your review.")
        if detail.high_risk and outcome == "no_action" and not comment:
            raise ValueError(NEEDS_COMMENT)
        return {"note_id": detail.note_id, "outcome": outcome, "comment": comment or None}

    def _on_submit_clicked(self) -> None:
        try:
            review = self.checked_review()
        except ValueError as problem:
            self.status.show_error(str(problem))
            return
        self._actions.start(lambda: call(self.session, review_note, **review), self._on_reviewed)

    def _on_reviewed(self, review: ReviewRow) -> None:
        label = dict(OUTCOMES)[review.outcome].lower()
        detail = self.note_view.detail
        whose = f"{detail.client_name}'s note" if detail and detail.client_name else "The note"
        self.status.show_info(f"{whose} is marked reviewed: {label}. It has left the queue.")
        self.note_view.show_message("Reviewed. Select the next note in the queue.")
        self._clear_verdict()
        self.reviewed.emit(review)

    def _update_form(self) -> None:
        busy = self._actions.busy  # the risk-language check runs beside the reviewer's work
        ready = self.note_view.detail is not None and not busy
        for widget in (self.outcome, self.comment, self.submit):
            widget.setEnabled(ready)
        self.refresh_button.setEnabled(not busy)

    # --- plumbing -------------------------------------------------------------------------------
    def _on_action_failed(self, message: str) -> None:
        self.status.show_error(message)
        self.failed.emit(message)
