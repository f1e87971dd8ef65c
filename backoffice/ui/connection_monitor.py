"""The status bar's connection state: "Connected", or "Reconnecting…" until the server answers again.

When an operation reports the database unreachable, the monitor pings every few seconds on a
worker; the first answer brings the state back and asks the open page to reload.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from backoffice.services.login import StaffSession
from backoffice.ui.tasks import connection_events, run_op

PING_INTERVAL_MS = 2_000


class ConnectionMonitor(QObject):
    state_changed = Signal(str)  # the text for the status bar
    reconnected = Signal()

    def __init__(self, session: StaffSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._connected_text = f"Connected to {session.profile.label} as {session.actor.login_role}"
        self.connected = True
        self._pinging = False
        self.timer = QTimer(self, interval=PING_INTERVAL_MS)
        self.timer.timeout.connect(self._ping)
        events = connection_events()
        events.connection_lost.connect(self._on_connection_lost)
        events.database_answered.connect(self._on_database_answered)

    @property
    def text(self) -> str:
        return self._connected_text if self.connected else self._lost_text

    def stop(self) -> None:
        self.timer.stop()
        events = connection_events()
        _disconnect(events.connection_lost, self._on_connection_lost)
        _disconnect(events.database_answered, self._on_database_answered)

    def _on_connection_lost(self, sentence: str) -> None:
        self._lost_text = f"Reconnecting… ({sentence})"
        if self.connected:
            self.connected = False
            self.timer.start()
        self.state_changed.emit(self.text)

    def _on_database_answered(self) -> None:
        if not self.connected:
            self._back()

    def _ping(self) -> None:
        if self._pinging:
            return
        self._pinging = True
        run_op(
            self._session.ping,
            on_success=self._on_ping_answered,
            on_failure=self._on_ping_failed,
            context=self,
        )

    def _on_ping_answered(self, _result: object) -> None:
        self._pinging = False

    def _on_ping_failed(self, _error: BaseException) -> None:
        self._pinging = False

    def _back(self) -> None:
        self.connected = True
        self.timer.stop()
        self.state_changed.emit(self.text)
        self.reconnected.emit()


def _disconnect(signal: object, slot: Callable[..., None]) -> None:
    with contextlib.suppress(RuntimeError, TypeError):  # already disconnected
        signal.disconnect(slot)  # type: ignore[attr-defined]
