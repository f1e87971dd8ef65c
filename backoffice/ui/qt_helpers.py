"""Small helpers that keep widget construction short and typed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLayout, QMenu, QWidget

W = TypeVar("W", bound=QObject)


def named(widget: W, name: str, **properties: Any) -> W:
    """Give `widget` an object name (tests and stylesheets find it by it) and set Qt properties."""
    widget.setObjectName(name)
    for key, value in properties.items():
        if not widget.setProperty(key, value) and widget.metaObject().indexOfProperty(key) < 0:
            raise AttributeError(f"{type(widget).__name__} has no Qt property {key!r}")
    return widget


def choice_box(name: str, choices: Iterable[tuple[str, Any]]) -> QComboBox:
    """A named combo box of (label, value) choices; `currentData()` is the value chosen."""
    box = named(QComboBox(), name)
    for label, value in choices:
        box.addItem(label, value)
    return box


def clear_layout(layout: QLayout) -> None:
    """Take every item out of `layout`; its widgets are hidden at once and deleted later."""
    while (item := layout.takeAt(0)) is not None:
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()


def menu_action(
    owner: QWidget,
    menu: QMenu,
    text: str,
    slot: Callable[[], object],
    keys: str | QKeySequence | QKeySequence.StandardKey | None = None,
) -> QAction:
    """An action of `owner`'s window in `menu`, calling `slot`, with its shortcut if any."""
    action = QAction(text, owner)
    if keys is not None:
        action.setShortcut(QKeySequence(keys))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action
