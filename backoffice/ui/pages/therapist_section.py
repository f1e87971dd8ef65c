"""The therapist's dashboard: four tiles, then what to act on today, each line with a button to the
client's chart (today's sessions, clients at risk, notes due, transfers received this month), then
the week's sessions as a chart."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from backoffice import values
from backoffice.services.dashboard import TherapistDashboard
from backoffice.ui.chart_links import open_chart
from backoffice.ui.qt_helpers import named
from backoffice.ui.widgets.bar_chart import BarChart
from backoffice.ui.widgets.figure_tile import FigureTile, Tile, muted, scaled_font
from backoffice.values import count_text, day_text

SHOWN = 6  # lines a list shows before "and N more"
CHART_HEIGHT = 220
# One line of a list: (row id, its text, what the chart button opens; None: no button)
Line = tuple[str, str, dict[str, Any] | None]


class ActionList(Tile):
    """A titled list whose lines each open a client's chart."""

    def __init__(self, key: str, caption: str, lines: Sequence[Line], empty: str) -> None:
        super().__init__(key, f"{caption} ({count_text(len(lines))})")
        if not lines:
            self.body.addWidget(muted(named(QLabel(empty), f"{key}_empty", wordWrap=True)))
        grid = QGridLayout()
        grid.setVerticalSpacing(4)
        for row, (row_id, text, target) in enumerate(lines[:SHOWN]):
            label = named(QLabel(text), f"{key}_{row_id}", wordWrap=True)
            grid.addWidget(label, row, 0)
            if target is not None:
                grid.addWidget(self._button(f"{key}_{row_id}_chart", target), row, 1)
        grid.setColumnStretch(0, 1)
        self.body.addLayout(grid)
        if len(lines) > SHOWN:
            more = f"and {count_text(len(lines) - SHOWN)} more"
            self.body.addWidget(muted(named(QLabel(more), f"{key}_more")))
        self.body.addStretch(1)

    def _button(self, name: str, target: dict[str, Any]) -> QPushButton:
        button = named(QPushButton("Open chart"), name)
        button.clicked.connect(lambda _=False: open_chart(self, **target))
        return button


def _client(name: str | None) -> str:
    return f"<b>{html.escape(name or 'Unnamed client')}</b>"


def today_lines(d: TherapistDashboard) -> list[Line]:
    return [
        (
            s.booking_id,
            f"{s.starts_at:%H:%M} · {_client(s.client_name)} · {html.escape(s.mode or '')}",
            {"booking_id": s.booking_id},
        )
        for s in d.today
    ]


def at_risk_lines(d: TherapistDashboard) -> list[Line]:
    lines: list[Line] = []
    for r in d.at_risk:
        marks = [f"latest risk {html.escape(r.latest_risk or 'high')}"]
        if r.self_harm_ever:
            marks.append("self-harm mentioned")
        lines.append(
            (
                r.client_id,
                f"{_client(r.client_name)} · {', '.join(marks)}",
                {"client_id": r.client_id},
            )
        )
    return lines


def due_lines(d: TherapistDashboard) -> list[Line]:
    return [
        (
            row.booking_id or "",
            f"{_client(row.client_name)} · session {values.moment_text(row.session_at) if row.session_at else 'undated'}"
            f" · {row.hours_overdue or 0} h past the deadline",
            {"booking_id": row.booking_id} if row.booking_id else None,
        )
        for row in d.due
    ]


def received_lines(d: TherapistDashboard) -> list[Line]:
    return [
        (
            str(t.transfer_id),
            f"{_client(t.client_name)} from {html.escape(t.from_therapist or 'nobody')}"
            + (f" · {day_text(t.transferred_at)}" if t.transferred_at else ""),
            {"client_id": t.client_id} if t.client_id else None,
        )
        for t in d.transfers_received
    ]


def _tiles(d: TherapistDashboard) -> list[QWidget]:
    sunday = d.period.week_end - dt.timedelta(days=1)
    week = f"{day_text(d.period.week_start, year=False)} – {day_text(sunday, year=False)}"
    return [
        FigureTile(
            "sessions_today",
            "Sessions today",
            count_text(d.sessions_today),
            day_text(d.period.today, weekday=True, year=False),
        ),
        FigureTile(
            "sessions_this_week", "Sessions this week", count_text(d.sessions_this_week), week
        ),
        FigureTile("caseload", "Caseload", count_text(d.caseload), "Clients assigned to you"),
        FigureTile(
            "notes_due",
            "Notes due",
            count_text(d.notes_due),
            "Sessions ended over 48 hours ago, no note yet",
            "Your completed sessions that ended more than 48 hours ago and have no session note.",
        ),
    ]


def _lists(d: TherapistDashboard) -> list[QWidget]:
    return [
        ActionList("today", "Today's sessions", today_lines(d), "No sessions today."),
        ActionList(
            "at_risk",
            "Clients at risk",
            at_risk_lines(d),
            "Nobody's latest note records a high risk or self-harm.",
        ),
        ActionList("due", "Notes due", due_lines(d), "No notes due: well done."),
        ActionList(
            "received",
            "Transfers received this month",
            received_lines(d),
            "No clients transferred to you this month.",
        ),
    ]


def _grid(widgets: Sequence[QWidget], columns: int) -> QGridLayout:
    grid = QGridLayout()
    grid.setSpacing(12)
    for i, widget in enumerate(widgets):
        grid.addWidget(widget, i // columns, i % columns, Qt.AlignmentFlag.AlignTop)
    for column in range(columns):
        grid.setColumnStretch(column, 1)
    return grid


def therapist_section(d: TherapistDashboard) -> QWidget:
    content = named(QWidget(), "dashboard_content")
    layout = QVBoxLayout(content)
    layout.setContentsMargins(0, 4, 0, 0)
    layout.setSpacing(12)
    layout.addLayout(_grid(_tiles(d), 4))
    layout.addLayout(_grid(_lists(d), 2))
    heading = named(QLabel("Your sessions this week"), "chart_title")
    heading.setFont(scaled_font(content, 1.15, bold=True))
    layout.addWidget(heading)
    chart = BarChart(
        "week_chart",
        [day_text(day.day, weekday=True, year=False) for day in d.week],
        [("Sessions", [day.sessions for day in d.week])],
        bar_labels=True,
    )
    chart.setMinimumHeight(CHART_HEIGHT)
    row = QHBoxLayout()
    row.addWidget(chart, 1)
    layout.addLayout(row)
    return content
