"""ChartHeader: who the client is, how to reach them, with whom since when, how they came to that
therapist, and what needs attention (risk, self-harm mentions, notes due, shared history)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from backoffice.services.chart import ClientChart
from backoffice.ui.qt_helpers import clear_layout, named
from backoffice.ui.widgets.figure_tile import muted, scaled_font
from backoffice.values import counted, day_text

BADGE = "border-radius: 9px; padding: 2px 9px; font-weight: bold; background: {};"
RED, AMBER, BLUE, GREEN = (
    "rgba(214, 64, 52, 0.28)",
    "rgba(226, 160, 40, 0.32)",
    "rgba(70, 130, 220, 0.28)",
    "rgba(62, 160, 96, 0.25)",
)


def badge(key: str, text: str, colour: str) -> QLabel:
    label = named(QLabel(text), f"chart_badge_{key}")
    label.setStyleSheet(BADGE.format(colour))
    return label


def contact_text(chart: ClientChart) -> str:
    parts = [f"Client {chart.client_id}", chart.phone or "", chart.email or ""]
    return " · ".join(html.escape(p) for p in parts if p)


def with_whom_text(chart: ClientChart, viewer_therapist_id: str | None) -> str:
    if chart.therapist_id is None:
        return "Not assigned to a therapist you can see."
    who = "you" if chart.therapist_id == viewer_therapist_id else chart.therapist_name or "—"
    since = chart.with_therapist_since
    return f"With {who}" + (f" since {day_text(since)}" if since else "") + "."


def transfers_text(chart: ClientChart) -> str:
    lines = [
        f"Transferred {day_text(t.transferred_at) if t.transferred_at else '(undated)'} "
        f"from {t.from_therapist or 'nobody'} to {t.to_therapist}"
        + (f": {t.reason}" if t.reason else "")
        for t in chart.transfers
    ]
    return "<br>".join(html.escape(line) for line in lines)


def badges(chart: ClientChart) -> list[QLabel]:
    found = []
    latest = chart.risk_over_time[-1] if chart.risk_over_time else None
    if latest is not None and latest.high_risk:
        found.append(badge("risk", f"Latest note: risk {latest.risk_level or 'high'}", RED))
    elif latest is not None:
        found.append(badge("risk", f"Latest note: risk {latest.risk_level or 'not stated'}", GREEN))
    if chart.self_harm_mentions:
        mentions = chart.self_harm_mentions
        found.append(badge("self_harm", f"Self-harm mentioned in {counted(mentions, 'note')}", RED))
    if chart.notes_due:
        found.append(badge("due", f"{counted(chart.notes_due, 'note')} due", AMBER))
    if chart.shared_history:
        found.append(badge("shared", "Earlier history shared with you", BLUE))
    return found


class ChartHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = named(QLabel("Client chart"), "chart_client_name")
        self.name.setFont(scaled_font(self, 1.6, bold=True))
        self.contact = muted(named(QLabel(""), "chart_contact"))
        self.with_whom = named(QLabel(""), "chart_with_whom")
        self.transfers = muted(named(QLabel(""), "chart_transfers", wordWrap=True))
        self.badge_row = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        for widget in (self.name, self.contact, self.with_whom, self.transfers):
            # escaped text read as HTML: "O'Connor", not "O&#x27;Connor"
            widget.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(widget)
        layout.addLayout(self.badge_row)

    def show_chart(self, chart: ClientChart, viewer_therapist_id: str | None) -> None:
        self.name.setText(html.escape(chart.client_name or chart.client_id))
        self.contact.setText(contact_text(chart))
        self.with_whom.setText(html.escape(with_whom_text(chart, viewer_therapist_id)))
        self.transfers.setText(transfers_text(chart))
        self.transfers.setVisible(bool(chart.transfers))
        clear_layout(self.badge_row)
        for label in badges(chart):
            self.badge_row.addWidget(label)
        self.badge_row.addStretch(1)
