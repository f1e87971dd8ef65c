"""DemoLogins: the demo's logins as a small table (user name, password, role), each with a button
that fills them in, so that trying the demo needs no copying from a paragraph."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from backoffice.ui.qt_helpers import named

DemoLogin = tuple[str, str, str]  # user name, password, role


class DemoLogins(QGroupBox):
    chosen = Signal(str, str)  # user name, password

    def __init__(self, logins: Sequence[DemoLogin], parent: QWidget | None = None) -> None:
        super().__init__("Demo logins", parent)
        self.setObjectName("demo_logins")
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(16)
        for column, title in enumerate(("User name", "Password", "Role")):
            grid.addWidget(named(QLabel(f"<b>{title}</b>"), f"demo_header_{column}"), 0, column)
        for row, (username, password, role) in enumerate(logins, start=1):
            for column, text in enumerate((username, password, role)):
                cell = QLabel(text)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(cell, row, column)
            use = named(QPushButton("Use"), f"use_{username}", autoDefault=False)
            use.setToolTip(f"Fill in {username} and its password")
            use.clicked.connect(lambda _=False, u=username, p=password: self.chosen.emit(u, p))
            grid.addWidget(use, row, 3)
        grid.setColumnStretch(2, 1)
