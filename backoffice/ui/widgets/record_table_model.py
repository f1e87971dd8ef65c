"""RecordTableModel: a short list of a service's frozen results (refunds, mismatches, queue rows)
shown as a table. The texts are computed once when the records arrive, never per paint."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LONG_TEXT = 30


@dataclass(frozen=True)
class Column(Generic[R]):
    """A column: its header, the text of a record in it, and whether it is a number (right)."""

    header: str
    text: Callable[[R], str]
    numeric: bool = False


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Read-only rows; `emphasis(record)` says which rows to show bold and tinted (e.g. high risk)."""

    def __init__(
        self, columns: Sequence[Column[R]], *, emphasis: Callable[[R], bool] | None = None
    ) -> None:
        super().__init__()
        self.columns = tuple(columns)
        self._emphasis = emphasis
        self._records: tuple[R, ...] = ()
        self._texts: list[tuple[str, ...]] = []
        self._marked: list[bool] = []

    def set_records(self, records: Sequence[R]) -> None:
        self.beginResetModel()
        self._records = tuple(records)
        self._texts = [tuple(c.text(r) for c in self.columns) for r in self._records]
        self._marked = [bool(self._emphasis and self._emphasis(r)) for r in self._records]
        self.endResetModel()

    def record(self, row: int) -> R | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    @property
    def records(self) -> tuple[R, ...]:
        return self._records

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[row][column]
        if role == Qt.ItemDataRole.ToolTipRole:  # whole, where the column may cut it short
            text = self._texts[row][column]
            return text if len(text) > LONG_TEXT else None
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[column].numeric:
            return RIGHT
        if role == Qt.ItemDataRole.FontRole and self._marked[row]:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and self._marked[row]:
            return QBrush(QColor(255, 90, 60, 60))
        return None
