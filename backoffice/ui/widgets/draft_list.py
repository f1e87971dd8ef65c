"""DraftList: the drafts written offline on one session, each with what it is waiting for: the
next sync, the therapist's decision on a conflict (both texts shown), or nothing more (kept on this
computer, with the server's reason)."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from backoffice.services.offline import Draft
from backoffice.ui.qt_helpers import clear_layout, named
from backoffice.values import moment_text

STYLE = "QFrame#draft { border: 1px dashed palette(mid); border-radius: 6px; padding: 4px; }"


def _text(value: str) -> str:
    return html.escape(value).replace("\n", "<br>")


def draft_html(draft: Draft) -> str:
    """What a draft says about itself, as rich text."""
    when = moment_text(draft.edited_at)
    if draft.state == "conflict":
        return (
            f"<b>Conflict</b> · this draft reached the server earlier and was edited here since;"
            f" nothing was overwritten.<br><i>On record:</i> {_text(draft.server_text or '')}"
            f"<br><i>Yours ({when}):</i> {_text(draft.text)}"
        )
    if draft.state == "kept":
        return (
            f"<b>Kept on this computer</b> · {html.escape(draft.message or '')}<br>"
            f"{_text(draft.text)}"
        )
    if draft.state == "uploaded":
        return f"<b>Uploaded</b> · on record as note {draft.note_id}<br>{_text(draft.text)}"
    return f"<b>Draft</b> · {when} · goes to the server at the next sync<br>{_text(draft.text)}"


class DraftList(QWidget):
    edit_requested = Signal(object)  # the Draft to edit
    discard_requested = Signal(str)  # draft id
    keep_requested = Signal(str)  # draft id: a conflict settled as a note of its own

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.setStyleSheet(STYLE)
        self.drafts: tuple[Draft, ...] = ()

    def show_drafts(self, drafts: Sequence[Draft]) -> None:
        self.drafts = tuple(drafts)
        clear_layout(self.rows)
        for draft in self.drafts:
            self.rows.addWidget(self._row(draft))
        self.setVisible(bool(self.drafts))

    def _row(self, draft: Draft) -> QFrame:
        frame = named(QFrame(), "draft")
        label = named(QLabel(draft_html(draft)), "draft_text", wordWrap=True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in self._buttons(draft):
            buttons.addWidget(button)
        box = QVBoxLayout(frame)
        box.addWidget(label)
        box.addLayout(buttons)
        return frame

    def _buttons(self, draft: Draft) -> list[QPushButton]:
        if draft.state == "uploaded":
            return []
        if draft.state == "conflict":
            keep = named(QPushButton("Keep mine as a new note"), "draft_keep")
            keep.clicked.connect(lambda: self.keep_requested.emit(draft.draft_id))
            drop = named(QPushButton("Discard mine"), "draft_discard")
            drop.clicked.connect(lambda: self.discard_requested.emit(draft.draft_id))
            return [keep, drop]
        edit = named(QPushButton("Edit"), "draft_edit")
        edit.clicked.connect(lambda: self.edit_requested.emit(draft))
        drop = named(QPushButton("Discard"), "draft_discard")
        drop.clicked.connect(lambda: self.discard_requested.emit(draft.draft_id))
        return [edit, drop]
