"""ChartTimeline: a client's sessions, upcoming (soonest first) then past (latest first), each with
its status, mode, who held it and its note's risk, the additional notes written on it beneath it;
notes due flagged, sessions of a shared history marked as the previous therapist's."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from backoffice.services.chart import ChartEntry, ClientChart
from backoffice.ui.widgets.risk_strip import colour_of, level_of
from backoffice.values import code_text, moment_text

COLUMNS = ("When", "Session", "Note", "Therapist")
SHARED_GROUP = "Shared history"
BOOKING = Qt.ItemDataRole.UserRole
DUE_COLOUR = QColor(214, 64, 52)


def note_text(entry: ChartEntry) -> str:
    """The note's risk in a word or two ("High · self-harm"), or why there is none."""
    s = entry.session
    if entry.upcoming:
        return ""
    if s.note_id is None:
        return "Note due" if s.note_due else "No note"
    risk = (s.risk_level or "Risk not stated").capitalize()
    return risk + (" · self-harm" if s.self_harm else "")


def session_text(entry: ChartEntry) -> str:
    s = entry.session
    return " · ".join(part for part in (code_text(s.status), code_text(s.mode).lower()) if part)


def first_line(text: str, limit: int = 70) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


_DOTS: dict[int, QIcon] = {}


def dot(colour: QColor) -> QIcon:
    """A round marker of the note's risk colour (one icon a colour)."""
    if colour.rgba() not in _DOTS:
        pixmap = QPixmap(12, 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        _DOTS[colour.rgba()] = QIcon(pixmap)
    return _DOTS[colour.rgba()]


class ChartTimeline(QTreeWidget):
    session_selected = Signal(str)  # booking id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chart_timeline")
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(list(COLUMNS))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setStyleSheet("QTreeView::item { padding: 3px 2px; }")
        self.items: dict[str, QTreeWidgetItem] = {}
        self.currentItemChanged.connect(self._on_current_item_changed)

    def show_chart(self, chart: ClientChart) -> None:
        self.blockSignals(True)
        self.clear()
        self.items = {}
        own = tuple(e for e in chart.past if not e.by_previous_therapist)
        shared = tuple(e for e in chart.past if e.by_previous_therapist)
        self._group(f"Upcoming ({len(chart.upcoming)})", chart.upcoming)
        self._group(f"Past ({len(own)})", own)
        if shared:
            names = ", ".join(
                sorted({e.session.therapist_name or "another therapist" for e in shared})
            )
            self._group(f"{SHARED_GROUP}, with {names} ({len(shared)}): read only", shared)
        for column in range(len(COLUMNS) - 1):
            self.resizeColumnToContents(column)
        self.blockSignals(False)

    def select(self, booking_id: str | None) -> bool:
        item = self.items.get(booking_id or "")
        if item is None:
            return False
        self.setCurrentItem(item)
        self.scrollToItem(item)
        return True

    def selected_booking(self) -> str | None:
        item = self.currentItem()
        return None if item is None else item.data(0, BOOKING)

    def _group(self, title: str, entries: tuple[ChartEntry, ...]) -> None:
        group = QTreeWidgetItem(self, [title])
        font = QFont(self.font())
        font.setBold(True)
        group.setFont(0, font)
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        group.setFirstColumnSpanned(True)
        for entry in entries:
            self.items[entry.session.booking_id] = self._session_item(group, entry)
        group.setExpanded(True)

    def _session_item(self, group: QTreeWidgetItem, entry: ChartEntry) -> QTreeWidgetItem:
        s = entry.session
        when = moment_text(s.starts_at, weekday=True) if s.starts_at else "Undated"
        therapist = s.therapist_name or ""
        item = QTreeWidgetItem(group, [when, session_text(entry), note_text(entry), therapist])
        item.setData(0, BOOKING, s.booking_id)
        if entry.by_previous_therapist:
            item.setToolTip(
                0, f"Held by {therapist}, the client's previous therapist; shared with you"
            )
        self._colour(item, entry)
        for note in entry.additional_notes:
            by = "you" if note.mine else note.therapist_name or "a therapist"
            child = QTreeWidgetItem(item, [f"✎ {first_line(note.text)} ({by})"])
            child.setData(0, BOOKING, s.booking_id)
            child.setToolTip(0, note.text)
            child.setFirstColumnSpanned(True)
        item.setExpanded(bool(entry.additional_notes))
        return item

    def _colour(self, item: QTreeWidgetItem, entry: ChartEntry) -> None:
        s = entry.session
        level = level_of(s)
        if level:
            item.setIcon(2, dot(colour_of(3 if s.self_harm else level)))
        if level >= 2 or s.self_harm:
            item.setForeground(2, QBrush(colour_of(max(level, 3 if s.self_harm else level))))
        if s.note_due:
            item.setForeground(2, QBrush(DUE_COLOUR))
        if s.note_due or s.high_risk:
            font = QFont(self.font())
            font.setBold(True)
            item.setFont(2, font)
        if entry.by_previous_therapist:
            font = QFont(self.font())
            font.setItalic(True)
            item.setFont(3, font)
        if (s.status or "").lower() == "cancelled":
            font = QFont(self.font())
            font.setStrikeOut(True)
            item.setFont(0, font)

    def _on_current_item_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        booking = None if current is None else current.data(0, BOOKING)
        if booking:
            self.session_selected.emit(booking)
