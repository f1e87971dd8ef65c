"""A table of records with one row selected at a time: how the panels build it, fit its columns
and find a record in it. Cells keep to one line; a text too long for its column ends in "…" and
shows whole in its tooltip."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from backoffice.ui.qt_helpers import named
from backoffice.ui.widgets.record_table_model import RecordTableModel

R = TypeVar("R")
WIDEST_COLUMN = 280


def record_table(name: str, model: RecordTableModel[Any]) -> QTableView:
    """A named table over `model` that selects whole rows, one at a time, without row numbers."""
    table = named(QTableView(), name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fit_columns(table: QTableView, *, widest: int = WIDEST_COLUMN) -> None:
    """Each column as wide as its header and its texts need, up to `widest`."""
    header = table.horizontalHeader()
    stretch = header.stretchLastSection()
    header.setStretchLastSection(False)  # or the last column's width is the table's leftover
    table.resizeColumnsToContents()
    for column in range(header.count()):
        header.resizeSection(column, min(header.sectionSize(column), widest))
    header.setStretchLastSection(stretch)


def select_record(
    table: QTableView, model: RecordTableModel[R], matches: Callable[[R], bool]
) -> bool:
    """Make the first record that `matches` the current row; False when there is none."""
    for row, record in enumerate(model.records):
        if matches(record):
            table.setCurrentIndex(model.index(row, 0))
            return True
    return False
