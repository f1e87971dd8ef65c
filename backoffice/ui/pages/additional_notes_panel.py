"""AdditionalNotesPanel: the additional notes written on one session, and for the therapist who held
it a multi-line editor to add one. The text is checked here with the service's own rule before it
is sent; the page saves it through `chart.add_additional_note`."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backoffice.errors import ValidationError
from backoffice.services.chart import (
    ADDITIONAL_NOTE_MAX_CHARS,
    AdditionalNote,
    ChartEntry,
    checked_note_text,
)
from backoffice.ui.qt_helpers import clear_layout, named
from backoffice.ui.widgets.figure_tile import muted
from backoffice.ui.widgets.message_area import MessageArea
from backoffice.values import count_text, moment_text

NOTE_STYLE = (
    "QLabel#additional_note { border-left: 3px solid palette(highlight); padding: 2px 8px; }"
)


def note_html(note: AdditionalNote) -> str:
    when = moment_text(note.written_at) if note.written_at else "undated"
    who = "You" if note.mine else note.therapist_name or "A therapist"
    text = html.escape(note.text).replace("\n", "<br>")
    return f"<b>{html.escape(who)}</b> · {when}<br>{text}"


def _booking(entry: ChartEntry | None) -> str | None:
    return None if entry is None else entry.session.booking_id


class AdditionalNotesPanel(QWidget):
    save_requested = Signal(str, str)  # booking id, the checked text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry: ChartEntry | None = None
        self.heading = QLabel("<b>Additional notes</b>")
        self.notes = QVBoxLayout()
        self.notes.setSpacing(6)
        self.editor = named(
            QPlainTextEdit(),
            "additional_note_editor",
            placeholderText="Write an additional note on this session…",
        )
        self.editor.setMinimumHeight(70)
        self.editor.setMaximumHeight(130)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self.counter = muted(named(QLabel(""), "additional_note_counter"))
        self.save_button = named(QPushButton("Save note"), "additional_note_save")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.status = MessageArea("additional_note_status")
        self._build()

    def _build(self) -> None:
        actions = QHBoxLayout()
        actions.addWidget(self.counter, 1)
        actions.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(self.notes)
        layout.addWidget(self.editor)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.setStyleSheet(NOTE_STYLE)
        self._on_editor_text_changed()

    def show_entry(self, entry: ChartEntry | None, *, may_write: bool) -> None:
        """The session's notes; the editor only for its own therapist (never shared history)."""
        if _booking(entry) != _booking(self.entry):
            self.editor.clear()
            self.status.show_message("")
        self.entry = entry
        clear_layout(self.notes)
        written = entry.additional_notes if entry else ()
        for note in written:
            label = named(QLabel(note_html(note)), "additional_note", wordWrap=True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.notes.addWidget(label)
        if not written:
            self.notes.addWidget(muted(QLabel("None on this session.")))
        writable = may_write and entry is not None and not entry.by_previous_therapist
        for widget in (self.editor, self.counter, self.save_button):
            widget.setVisible(writable)

    def set_busy(self, busy: bool) -> None:
        self.editor.setReadOnly(busy)
        self.save_button.setEnabled(not busy)

    def saved(self, sentence: str = "Saved. It is on the session's record now.") -> None:
        self.editor.clear()
        self.status.show_message(sentence)

    def failed(self, sentence: str) -> None:
        self.status.show_message(sentence, error=True)

    def _on_editor_text_changed(self) -> None:
        used = len(self.editor.toPlainText().strip())
        self.counter.setText(
            f"{count_text(used)} of {count_text(ADDITIONAL_NOTE_MAX_CHARS)} characters"
        )

    def _on_save_button_clicked(self) -> None:
        if self.entry is None:
            return
        try:
            text = checked_note_text(self.editor.toPlainText())
        except ValidationError as problem:
            self.failed(str(problem))
            return
        self.status.show_message("Saving…")
        self.save_requested.emit(self.entry.session.booking_id, text)
