"""A table of records with one row selected at a time: how the panels build it and find a record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QAbstractItemView, QTableView

from backoffice.ui.qt_helpers import named
from backoffice.ui.widgets.record_table_model import RecordTableModel

R = TypeVar("R")


def record_table(name: str, model: RecordTableModel[Any]) -> QTableView:
    """A named table over `model` that selects whole rows, one at a time, without row numbers."""
    table = named(QTableView(), name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    return table


def select_record(
    table: QTableView, model: RecordTableModel[R], matches: Callable[[R], bool]
) -> bool:
    """Make the first record that `matches` the current row; False when there is none."""
    for row, record in enumerate(model.records):
        if matches(record):
            table.setCurrentIndex(model.index(row, 0))
            return True
    return False
