"""Orphaned session notes (their booking does not exist) and linking one to the booking it belongs to.

The clinic's notes table has no foreign key, so the booking website can leave such notes behind;
the booking a note is linked to is the only field of a note the back-office ever changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.changes import Area
from backoffice.services.login import StaffSession
from backoffice.services.notes import (
    LinkCandidate,
    LinkResult,
    OrphanNoteRow,
    link_orphaned_note,
    list_link_candidates,
    list_orphaned_notes,
)
from backoffice.ui.qt_helpers import named
from backoffice.ui.service_call import call
from backoffice.ui.widgets.action_runner import ActionRunner
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.values import counted, datetime_text, session_timing_text

_KEY = Qt.ItemDataRole.UserRole


class OrphanedNotesPanel(QWidget):
    shows = frozenset({Area.NOTES, Area.BOOKINGS})  # notes, and the bookings they may join

    def __init__(self, session: StaffSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._actions = ActionRunner(
            self,
            on_changed=self._update_actions,
            on_failed=lambda message: self.status.show_error(message),
        )
        self._build()
        self.notes.currentItemChanged.connect(self._on_notes_current_changed)
        self.candidates.currentItemChanged.connect(lambda *_: self._update_actions())
        self.link_button.clicked.connect(self._on_link_clicked)
        self._update_actions()

    def _build(self) -> None:
        self.notes = named(QListWidget(), "orphaned_notes")
        self.candidates = named(QListWidget(), "link_candidates")
        self.link_button = named(QPushButton("Link to this booking"), "link_note")
        self.status = MessageArea("orphans_status")
        columns = QHBoxLayout()
        for title, widget in (
            ("Notes without a booking", self.notes),
            ("Bookings it may belong to", self.candidates),
        ):
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{title}</b>"))
            column.addWidget(widget)
            columns.addLayout(column)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.link_button)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        self._actions.start(lambda: call(self.session, list_orphaned_notes), self._on_loaded)

    def _on_loaded(self, rows: tuple[OrphanNoteRow, ...]) -> None:
        self.notes.clear()
        self.candidates.clear()
        for row in rows:
            item = QListWidgetItem(
                f"{row.client_name or 'No name'} · {session_timing_text(row.session_timing or '')}"
                f" · points to booking {row.booking_id or '(none)'} · note {row.note_id}"
            )
            item.setData(_KEY, row.note_id)
            self.notes.addItem(item)
        if len(rows) == 1:
            self.status.show_info("1 note points to a booking that does not exist.")
        elif rows:
            self.status.show_info(
                f"{counted(len(rows), 'note')} point to a booking that does not exist."
            )
        else:
            self.status.show_info("Every session note belongs to a booking.")

    def _on_notes_current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        self.candidates.clear()
        if current is not None:
            note_id = current.data(_KEY)
            self._actions.start(
                lambda: call(self.session, list_link_candidates, note_id=note_id),
                self._on_candidates_loaded,
            )

    def _on_candidates_loaded(self, candidates: tuple[LinkCandidate, ...]) -> None:
        self.candidates.clear()
        for c in candidates:
            when = datetime_text(c.session_at, weekday=True) if c.session_at else "no date"
            item = QListWidgetItem(
                f"{when} · {c.client_name} with {c.therapist_name or 'no therapist'} · "
                f"{c.booking_status or 'no status'} · booking {c.booking_id}"
            )
            item.setData(_KEY, c.booking_id)
            self.candidates.addItem(item)
        if not candidates:
            self.status.show_info("No booking of that client is without a note.")

    def _on_link_clicked(self) -> None:
        note, booking = self.notes.currentItem(), self.candidates.currentItem()
        if note is None or booking is None:
            return
        note_id, booking_id = note.data(_KEY), booking.data(_KEY)
        self._actions.start(
            lambda: call(self.session, link_orphaned_note, note_id=note_id, booking_id=booking_id),
            self._on_linked,
        )

    def _on_linked(self, result: LinkResult) -> None:
        self.status.show_info(
            f"The note now belongs to booking {result.booking_id} (it pointed to "
            f"{result.old_booking_id or 'no booking'})."
        )

    def _update_actions(self) -> None:
        ready = self.notes.currentItem() is not None and self.candidates.currentItem() is not None
        self.link_button.setEnabled(ready and not self._actions.busy)
