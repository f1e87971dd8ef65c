"""RiskStrip: a client's risk over time at a glance, one bar per past session, oldest on the left.

The bar's height and colour are the note's risk level (low, medium, high); a self-harm mention is a
red marker above its bar; a session without a note is a hollow stub (amber when the note is due).
Hover a bar for its day and risk, click it to open that session.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from backoffice.services.notes import HIGH_RISK_LEVELS, ClientSession
from backoffice.values import day_text

LOW, MEDIUM, HIGH = QColor(62, 160, 96), QColor(226, 160, 40), QColor(214, 64, 52)
DUE = QColor(226, 160, 40)
BAR_MAX, GAP, MARK = 22.0, 4.0, 8.0
MARGIN_TOP, MARGIN_BOTTOM = MARK + 6.0, 18.0


def level_of(session: ClientSession) -> int:
    """0 no note, 1 low (or unstated), 2 medium, 3 high."""
    if session.note_id is None:
        return 0
    level = (session.risk_level or "").strip().lower()
    if level in HIGH_RISK_LEVELS:
        return 3
    return 2 if level == "medium" else 1


def colour_of(level: int) -> QColor:
    return {1: LOW, 2: MEDIUM, 3: HIGH}.get(level, QColor(DUE))


def describe(session: ClientSession) -> str:
    when = day_text(session.starts_at) if session.starts_at else "undated"
    if session.note_id is None:
        return f"{when}: no note" + (" (due)" if session.note_due else "")
    risk = f"{when}: risk {session.risk_level or 'not stated'}"
    return risk + (", self-harm mentioned" if session.self_harm else "")


class RiskStrip(QWidget):
    session_clicked = Signal(str)  # the booking id of the bar clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("risk_strip")
        self.setMouseTracking(True)
        self.setMinimumHeight(int(MARGIN_TOP + MARGIN_BOTTOM + 48))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.sessions: tuple[ClientSession, ...] = ()
        self.selected: str | None = None

    def sizeHint(self) -> QSize:
        return QSize(400, self.minimumHeight())

    def set_sessions(self, sessions: Sequence[ClientSession]) -> None:
        """The past sessions, oldest first."""
        self.sessions = tuple(sessions)
        self.update()

    def select(self, booking_id: str | None) -> None:
        self.selected = booking_id
        self.update()

    # --- geometry ---------------------------------------------------------------------------
    def _pitch(self) -> float:
        count = max(len(self.sessions), 1)
        return min(BAR_MAX + GAP, max(self.width() - 2.0, 1.0) / count)

    def _bar(self, index: int, level: int) -> QRectF:
        pitch = self._pitch()
        width = max(pitch - (GAP if pitch > 6 else 1.0), 1.0)
        full = self.height() - MARGIN_TOP - MARGIN_BOTTOM
        height = full * (level / 3 if level else 0.18)
        return QRectF(1 + index * pitch, MARGIN_TOP + full - height, width, height)

    def index_at(self, x: float) -> int | None:
        index = int((x - 1) // self._pitch())
        return index if 0 <= index < len(self.sessions) else None

    # --- painting ---------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        if not self.sessions:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No past sessions yet.")
            return
        for index, session in enumerate(self.sessions):
            self._paint_bar(painter, index, session, palette)
        self._paint_axis(painter, palette)

    def _paint_bar(
        self, painter: QPainter, index: int, session: ClientSession, palette: QPalette
    ) -> None:
        level = level_of(session)
        rect = self._bar(index, level)
        if level:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour_of(level))
        else:
            colour = DUE if session.note_due else palette.color(QPalette.ColorRole.Mid)
            painter.setPen(QPen(colour, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, 2, 2)
        if session.self_harm:
            self._paint_mark(painter, rect)
        if session.booking_id == self.selected:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 3, 3)

    def _paint_mark(self, painter: QPainter, bar: QRectF) -> None:
        """A downward red triangle above the bar: self-harm mentioned in this note."""
        size = min(MARK, max(bar.width(), 4.0))
        middle, bottom = bar.center().x(), bar.top() - 2
        triangle = QPolygonF(
            [
                QPointF(middle - size / 2, bottom - size),
                QPointF(middle + size / 2, bottom - size),
                QPointF(middle, bottom),
            ]
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(HIGH)
        painter.drawPolygon(triangle)

    def _paint_axis(self, painter: QPainter, palette: QPalette) -> None:
        baseline = self.height() - MARGIN_BOTTOM + 2
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(QPointF(0, baseline), QPointF(self.width(), baseline))
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        first, last = self.sessions[0].starts_at, self.sessions[-1].starts_at
        text_rect = QRectF(0, baseline + 2, self.width(), MARGIN_BOTTOM - 2)
        if first is not None:
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft, day_text(first))
        if last is not None and len(self.sessions) > 1:
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignRight, day_text(last))

    # --- mouse ------------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().x())
        if index is None:
            QToolTip.hideText()
            return
        QToolTip.showText(event.globalPosition().toPoint(), describe(self.sessions[index]), self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().x())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            self.session_clicked.emit(self.sessions[index].booking_id)
