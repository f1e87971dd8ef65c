"""IdleLock: says when nobody has touched the application for the idle time (`idle`), so that the
main window locks itself. Any key, click, move or wheel in any of its windows counts as use.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class IdleLock(QObject):
    idle = Signal()

    def __init__(self, parent: QObject, *, minutes: int) -> None:
        super().__init__(parent)
        self._watching = True
        self.timer = QTimer(self, singleShot=True, interval=max(minutes, 1) * 60_000)
        self.timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def set_interval_ms(self, milliseconds: int) -> None:
        self.timer.setInterval(milliseconds)
        if self._watching:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._watching and event.type() in _INPUT_EVENTS:
            self.timer.start()
        return False

    def pause(self) -> None:
        """Locked: no idle time to count until it is unlocked."""
        self._watching = False
        self.timer.stop()

    def resume(self) -> None:
        self._watching = True
        self.timer.start()

    def stop(self) -> None:
        self.pause()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
