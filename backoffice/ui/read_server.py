"""Long reads of the window (the dashboard, reports) on the clinic's read-only server.

`StaffSession.reads()` chooses, on a worker, the read-only server when the login profile names one
that answers and is close enough behind, else the primary with a sentence saying why. The page
shows what it read; the sentence goes to the window's status bar (and the log has PostgreSQL's
reason), so a person knows why figures come slower, and IT knows where to look.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtWidgets import QMainWindow, QWidget

if TYPE_CHECKING:
    from backoffice.services.login import StaffSession
    from backoffice.ui.tasks import Op

T = TypeVar("T")
NOTE_SHOWN_MS = 60_000


@dataclass(frozen=True)
class Read(Generic[T]):
    """What a worker read, and the note when the primary served although a read-only server is set."""

    value: T
    note: str | None = None


def show_read_note(widget: QWidget, note: str | None) -> None:
    """The note in the status bar of the window holding `widget`, for a minute; nothing without one."""
    window = widget.window()
    if note and isinstance(window, QMainWindow):
        window.statusBar().showMessage(note, NOTE_SHOWN_MS)


def build_report(
    session: StaffSession, runner: Callable[..., T], arguments: dict[str, Any], op: Op[Read[T]]
) -> Read[T]:
    """Runs on a worker: a report's rows read on the read-only server when it serves (its export
    is recorded on the primary all the same), with the progress and the cancel of `op`."""
    target = session.reads()
    result = runner(
        session.unit_of_work,
        session.actor,
        **arguments,
        read_uow_factory=target.unit_of_work if target.on_standby else None,
        progress=lambda done, total: op.report((done, total)),
        cancelled=op.cancel_event.is_set,
    )
    return Read(result, target.note)
