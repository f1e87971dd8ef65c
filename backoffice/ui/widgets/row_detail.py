"""RowDetail: the current row of a browsable table, one labelled, selectable value per column."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from backoffice.services.browse import SourceColumn


class RowDetail(QWidget):
    def __init__(self, columns: Sequence[SourceColumn], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.values: list[QLabel] = []
        for column in columns:
            value = QLabel(wordWrap=True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(f"{column.label}:", value)
            self.values.append(value)

    def show_texts(self, texts: Sequence[str] | None) -> None:
        """Each column's display text, or nothing at all when no row is current (or loaded)."""
        for label, text in zip(self.values, texts or [""] * len(self.values), strict=True):
            label.setText(text)

    def is_empty(self) -> bool:
        return not self.values[0].text()
