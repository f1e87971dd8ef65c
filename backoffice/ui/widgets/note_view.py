"""NoteView: one session note, read only, laid out for reading in the order a clinician goes through
it (the session, the client, what happened, risk, history, what next), the risk section framed and
its fields highlighted, then the client's earlier notes and the reviews it had. It shows what
`notes.open_note` returned."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from backoffice.services.notes import NoteDetail, NoteField, RiskSpan
from backoffice.ui.qt_helpers import named
from backoffice.values import date_text, datetime_text, session_timing_text, time_text

RISK_STYLE = "background: rgba(255, 90, 60, 0.25); font-weight: bold; padding: 2px;"
# A risk phrase inside a field's text (rich text: a QLabel takes no padding on a span).
PHRASE_STYLE = "background-color: rgba(255, 90, 60, 0.45); font-weight: bold;"
RISK_FRAME = (
    "QFrame#note_section_risk { border: 1px solid rgba(214, 64, 52, 0.6); border-radius: 6px; }"
)
# (heading, the fields under it) in reading order; a field not named here goes under "Other".
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Session", ("session_timing", "session_status")),
    ("About the client", ("client_age", "gender", "occupation", "marital_status")),
    (
        "In the session",
        (
            "concerns_discussed",
            "somatic_cues",
            "interventions_used",
            "interventions_helpful",
            "client_participation",
            "goal_progress",
            "client_values",
        ),
    ),
    (
        "Risk",
        ("current_risk_level", "self_harm_mention", "self_harm_details", "protective_factors"),
    ),
    ("History", ("health_history", "past_diagnoses")),
    ("Next", ("next_session_plan", "homework_suggested")),
)


class NoteView(QScrollArea):
    def __init__(self, parent: QWidget | None = None, *, with_earlier: bool = True) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.with_earlier = with_earlier
        self.detail: NoteDetail | None = None
        self.value_labels: dict[str, QLabel] = {}
        self.show_message("Select a note in the queue to read it. Each opening is recorded.")

    def show_message(self, text: str) -> None:
        self.detail = None
        self.value_labels = {}
        label = named(QLabel(text), "note_message", wordWrap=True)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._replace(label)

    def show_note(self, detail: NoteDetail, *, written_by: str | None = None) -> None:
        """The note; `written_by` is a line saying whose note it is when that matters (shared
        history in a chart)."""
        self.detail = detail
        self.value_labels = {}
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setSpacing(10)
        layout.addWidget(named(QLabel(_heading_text(detail)), "note_heading", wordWrap=True))
        if written_by:
            layout.addWidget(
                named(QLabel(html.escape(written_by)), "note_written_by", wordWrap=True)
            )
        if detail.high_risk:
            banner = named(QLabel(_banner_text(detail)), "note_risk_banner", wordWrap=True)
            banner.setStyleSheet(RISK_STYLE)
            layout.addWidget(banner)
        for heading, fields in _sections(detail):
            layout.addWidget(self._section(heading, fields))
        if self.with_earlier:
            layout.addWidget(named(QLabel(_earlier_text(detail)), "note_earlier", wordWrap=True))
        layout.addWidget(named(QLabel(_reviews_text(detail)), "note_reviews", wordWrap=True))
        layout.addStretch(1)
        self._replace(content)

    def _section(self, heading: str, fields: list[NoteField]) -> QFrame:
        """A heading and one read-only value a field, risk fields highlighted when they say
        something; the risk section framed."""
        key = heading.lower().split()[-1]
        frame = named(QFrame(), f"note_section_{key}")
        if key == "risk":
            frame.setStyleSheet(RISK_FRAME)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(QLabel(f"<b>{html.escape(heading)}</b>"))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for field in fields:
            form.addRow(f"{field.label}:", self._value(field))
        layout.addLayout(form)
        return frame

    def _value(self, field: NoteField) -> QLabel:
        spans = [r for r in self.detail.risk_spans if r.field == field.name] if self.detail else []
        text = field.value
        if field.name == "session_timing" and text:
            text, spans = session_timing_text(text), []  # in the window's layout, like the heading
        value = named(QLabel(marked_text(text, spans)), f"note_field_{field.name}", wordWrap=True)
        value.setTextFormat(Qt.TextFormat.RichText)
        value.setProperty("risk", field.risk)  # a stylesheet may match [risk="true"]
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if field.risk and field.value:
            value.setStyleSheet(RISK_STYLE)
        self.value_labels[field.name] = value
        return value

    def _replace(self, widget: QWidget) -> None:
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(widget)


def marked_text(value: str | None, spans: Sequence[RiskSpan]) -> str:
    """The field's text as rich text, each risk phrase highlighted. The spans index the Python
    string, and the markup is cut from that same string, so no offset is counted in Qt's UTF-16
    units (an emoji before a phrase moves nothing)."""
    if not value:
        return "—"
    parts, at = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < at or value[span.start : span.end] != span.phrase:
            continue  # overlapping, or not this text: leave it unmarked rather than misplace it
        parts.append(html.escape(value[at : span.start]))
        title = html.escape(span.category, quote=True)
        phrase = html.escape(value[span.start : span.end])
        parts.append(f'<span style="{PHRASE_STYLE}" title="{title}">{phrase}</span>')
        at = span.end
    parts.append(html.escape(value[at:]))
    return "".join(parts).replace("\n", "<br>")


def _banner_text(detail: NoteDetail) -> str:
    text = "High risk, self-harm or risk language mentioned: read the highlighted fields."
    if not detail.risk_spans:
        return html.escape(text)
    found = ", ".join(
        f"'{html.escape(s.phrase)}' ({html.escape(s.category.lower())})"
        for s in {(s.phrase, s.category): s for s in detail.risk_spans}.values()
    )
    return f"{html.escape(text)}<br>Text mentions: {found}"


def _sections(detail: NoteDetail) -> list[tuple[str, list[NoteField]]]:
    by_name = {f.name: f for f in detail.fields}
    placed = {name for _, names in SECTIONS for name in names}
    sections = [
        (heading, [by_name[n] for n in names if n in by_name]) for heading, names in SECTIONS
    ]
    sections.append(("Other", [f for f in detail.fields if f.name not in placed]))
    return [(heading, fields) for heading, fields in sections if fields]


def _heading_text(detail: NoteDetail) -> str:
    when = (
        datetime_text(detail.session_at, weekday=True, zone=True)
        if detail.session_at
        else "an unknown date"
    )
    return (
        f"<h3>{html.escape(detail.client_name or 'Unknown client')}: session of {when}</h3>"
        f"Note by {html.escape(detail.therapist_name or 'an unknown therapist')} · note "
        f"{detail.note_id} · opened at {time_text(detail.opened_at, zone=True)}, on record"
    )


def _earlier_text(detail: NoteDetail) -> str:
    if not detail.earlier:
        return "<b>Earlier notes:</b> none."
    lines = [
        f"{_day(e.session_at or e.written_at)} · {html.escape(e.therapist_name or '')} · "
        f"risk {html.escape(e.risk_level or '—')}"
        + (" · <b>self-harm mentioned</b>" if e.self_harm else "")
        for e in detail.earlier
    ]
    return "<b>Earlier notes, oldest first:</b><br>" + "<br>".join(lines)


def _reviews_text(detail: NoteDetail) -> str:
    if not detail.reviews:
        return ""
    lines = [
        f"{datetime_text(r.reviewed_at, zone=True)} · {r.reviewer} · {r.outcome.replace('_', ' ')}"
        + (f" · {html.escape(r.comment)}" if r.comment else "")
        for r in detail.reviews
    ]
    return "<b>Reviews:</b><br>" + "<br>".join(lines)


def _day(when: dt.datetime | None) -> str:
    return date_text(when) if when else "undated"
