"""MessageArea: the one line of a page (or dialog) that says what just happened or what stops the
person. News reads as plain text; an error in the palette's one error colour, in bold.

An error goes away by itself once it no longer holds: when the record shown changes or the person
edits what was wrong (`clear_error_on(signal, ...)`), so an old sentence never outlives its cause.
The line keeps its height when empty, so nothing around it moves when a message appears.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from backoffice.ui import theme


class MessageArea(QLabel):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setMinimumHeight(self.fontMetrics().lineSpacing())
        self.is_error = False
        self._restyle()

    def show_info(self, text: str) -> None:
        """News: what changed, what is going on ("Loading…")."""
        self._show(text, error=False)

    def show_error(self, text: str) -> None:
        """What stops the person, in the error colour, until it no longer holds."""
        self._show(text, error=True)

    def show_message(self, text: str, error: bool = False) -> None:
        self._show(text, error=error)

    def clear(self) -> None:
        self._show("", error=False)

    def clear_error(self, *_args: Any) -> None:
        """Clear the line if it holds an error (news stays until the next news)."""
        if self.is_error:
            self.clear()

    def clear_error_on(self, *signals: Any) -> None:
        """Each of `signals` (another record chosen, a field edited) clears an error shown."""
        for signal in signals:
            signal.connect(self.clear_error)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ApplicationPaletteChange:  # light <-> dark
            self._restyle()
        super().changeEvent(event)

    def _show(self, text: str, *, error: bool) -> None:
        self.is_error = error and bool(text)
        self.setProperty("error", self.is_error)
        self._restyle()
        self.setText(text)

    def _restyle(self) -> None:
        self.setStyleSheet(theme.error_style() if self.is_error else "")
