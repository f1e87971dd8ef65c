"""NoteView: one session note, read only, its risk fields highlighted, with the client's earlier
notes in order and the reviews it already had. It shows what `notes.open_note` returned."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from backoffice.services.notes import NoteDetail
from backoffice.ui.qt_helpers import named
from backoffice.values import date_text, datetime_text, moment_text

RISK_STYLE = "background: rgba(255, 90, 60, 0.25); font-weight: bold; padding: 2px;"


class NoteView(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.detail: NoteDetail | None = None
        self.value_labels: dict[str, QLabel] = {}
        self.show_message("Choose a note in the queue to read it. Each opening is recorded.")

    def show_message(self, text: str) -> None:
        self.detail = None
        self.value_labels = {}
        label = named(QLabel(text), "note_message", wordWrap=True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._replace(label)

    def show_note(self, detail: NoteDetail) -> None:
        self.detail = detail
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(QLabel(_heading_text(detail)))
        if detail.high_risk:
            banner = named(
                QLabel("High risk or self-harm mentioned: read the highlighted fields."),
                "note_risk_banner",
                wordWrap=True,
            )
            banner.setStyleSheet(RISK_STYLE)
            layout.addWidget(banner)
        layout.addLayout(self._fields_form(detail))
        layout.addWidget(named(QLabel(_earlier_text(detail)), "note_earlier", wordWrap=True))
        layout.addWidget(named(QLabel(_reviews_text(detail)), "note_reviews", wordWrap=True))
        layout.addStretch(1)
        self._replace(content)

    def _fields_form(self, detail: NoteDetail) -> QFormLayout:
        """One read-only value a field, the risk fields highlighted when they say something."""
        form = QFormLayout()
        self.value_labels = {}
        for field in detail.fields:
            value = named(
                QLabel(html.escape(field.value or "—")), f"note_field_{field.name}", wordWrap=True
            )
            value.setProperty("risk", field.risk)  # a stylesheet may match [risk="true"]
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if field.risk and field.value:
                value.setStyleSheet(RISK_STYLE)
            form.addRow(f"{field.label}:", value)
            self.value_labels[field.name] = value
        return form

    def _replace(self, widget: QWidget) -> None:
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(widget)


def _heading_text(detail: NoteDetail) -> str:
    when = moment_text(detail.session_at, weekday=True) if detail.session_at else "unknown date"
    return (
        f"<h3>Note {detail.note_id}: {html.escape(detail.client_name or 'Unknown client')}</h3>"
        f"{html.escape(detail.therapist_name or '')} · session {when} · opened "
        f"{detail.opened_at:%H:%M} (on record)"
    )


def _earlier_text(detail: NoteDetail) -> str:
    if not detail.earlier:
        return "<b>Earlier notes:</b> none."
    lines = [
        f"{_day(e.session_at or e.written_at)} · note {e.note_id} · "
        f"{html.escape(e.therapist_name or '')} · risk {html.escape(e.risk_level or '—')}"
        + (" · <b>self-harm mentioned</b>" if e.self_harm else "")
        for e in detail.earlier
    ]
    return "<b>Earlier notes, oldest first:</b><br>" + "<br>".join(lines)


def _reviews_text(detail: NoteDetail) -> str:
    if not detail.reviews:
        return ""
    lines = [
        f"{datetime_text(r.reviewed_at)} · {r.reviewer} · {r.outcome}"
        + (f" · {html.escape(r.comment)}" if r.comment else "")
        for r in detail.reviews
    ]
    return "<b>Reviews:</b><br>" + "<br>".join(lines)


def _day(when: dt.datetime | None) -> str:
    return date_text(when) if when else "undated"
