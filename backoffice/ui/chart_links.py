"""Opening a client's chart from anywhere in the window (My caseload, My session notes, Appointments,
Clients, the dashboard): the main window shows the chart in place of the page, with a way back."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget


def open_chart(origin: QWidget, **target: Any) -> bool:
    """Ask the window `origin` sits in to open the chart `target` names (`client_id=`,
    `booking_id=` or `note_id=`); False when it sits in no window that shows charts."""
    opener = getattr(origin.window(), "open_chart", None)
    if not callable(opener):
        return False
    opener(**target)
    return True
