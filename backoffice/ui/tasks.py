"""Run work off the GUI thread: `run_op(...)` runs a callable on a worker, the callbacks come back on
the GUI thread. Every database call from the window goes through here, so the window never freezes.

A failure arrives as the exception itself; `user_message(error)` is the sentence to show. A failure
nobody handles is shown in the window's status bar and logged, never dropped. A workflow's result
that says what it changed (`services.changes`) is published on the main window's
`changes_published`, and every page reloads what it shows of it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from backoffice.errors import BackofficeError, CredentialsRefused, DatabaseUnavailable
from backoffice.services.changes import Changes, changes_of

T = TypeVar("T")
_log = logging.getLogger(__name__)
_pool: QThreadPool | None = None


def pool() -> QThreadPool:
    """The application's worker pool (separate from Qt's global one, so tests can wait for it)."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(4)
        _pool.setExpiryTimeout(5_000)
    return _pool


def user_message(error: BaseException) -> str:
    """The one sentence a person sees for an error; anything unexpected is logged in full."""
    if isinstance(error, BackofficeError):
        return str(error)
    _log.error("unexpected failure in a background task", exc_info=error)
    return (
        f"Something unexpected went wrong ({type(error).__name__}); "
        "the details are in the application's log."
    )


class ConnectionEvents(QObject):
    """What background operations learnt about the database, for the status bar to show."""

    connection_lost = Signal(str)  # the sentence saying why
    database_answered = Signal()


_events: ConnectionEvents | None = None


def connection_events() -> ConnectionEvents:
    global _events
    if _events is None:
        _events = ConnectionEvents()
    return _events


class Cancelled(Exception):
    """Raised inside an operation that noticed its `cancel_event` was set."""


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted by the worker reach its slots through the event loop."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(object)

    def __init__(self, callbacks: dict[str, Callable[[Any], None] | None], context: QObject | None):
        super().__init__()
        self._callbacks = callbacks
        self._context = context
        self.succeeded.connect(self._on_succeeded)
        self.failed.connect(self._on_failed)
        self.progressed.connect(self._on_progressed)

    @Slot(object)
    def _on_succeeded(self, value: Any) -> None:
        connection_events().database_answered.emit()
        self._deliver("success", value)
        publish_changes(changes_of(value), self._context)
        _running.discard(self)

    @Slot(object)
    def _on_failed(self, error: Any) -> None:
        # Any other failure (a refused amount, a missing reason, a wrong password the server
        # answered) says nothing about the connection.
        if isinstance(error, DatabaseUnavailable) and not isinstance(error, CredentialsRefused):
            connection_events().connection_lost.emit(str(error))
        if self._callbacks.get("failure") is None:
            report_failure(error, self._context)
        else:
            self._deliver("failure", error)
        _running.discard(self)

    @Slot(object)
    def _on_progressed(self, value: Any) -> None:
        self._deliver("progress", value)

    def _deliver(self, kind: str, value: Any) -> None:
        callback = self._callbacks.get(kind)
        if callback is None or not _alive(self._context):
            return
        callback(value)


class Op(QRunnable, Generic[T]):
    """One operation on the pool. Keep the returned Op if you may want to cancel it."""

    def __init__(self, work: Callable[[Op[T]], T], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.relay = relay
        self.cancel_event = threading.Event()
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self)
        except BaseException as error:  # every failure goes back to the GUI thread
            self.relay.failed.emit(error)
        else:
            self.relay.succeeded.emit(result)

    def report(self, progress: Any) -> None:
        """Called from the worker: deliver a progress value to the GUI thread."""
        self.relay.progressed.emit(progress)

    def cancel(self) -> None:
        self.cancel_event.set()

    def raise_if_cancelled(self) -> None:
        if self.cancel_event.is_set():
            raise Cancelled()


_running: set[_Relay] = set()


def run_op(
    work: Callable[..., T],
    *,
    on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[Any], None] | None = None,
    with_op: bool = False,
    context: QObject | None = None,
) -> Op[T]:
    """Run `work` on the pool; the callbacks run on the GUI thread.

    With `with_op=True` the work receives the `Op`, to report progress and notice cancellation.
    When `context` (usually the page) has been destroyed meanwhile, no callback is called.
    """
    callbacks = {"success": on_success, "failure": on_failure, "progress": on_progress}
    relay = _Relay(callbacks, context)
    _running.add(relay)
    op: Op[T] = Op(work if with_op else (lambda _op: work()), relay)
    pool().start(op)
    return op


def publish_changes(changes: Changes, context: QObject | None) -> None:
    """Tell the main window what a workflow changed; a page shown on its own (a test, a screenshot)
    hears it directly. Nothing for a read."""
    top = _outermost(context)
    if not changes or top is None:
        return
    published = getattr(top, "changes_published", None)
    if published is not None:
        published.emit(changes)
    elif callable(on_changes := getattr(top, "on_changes", None)):
        on_changes(changes)


def report_failure(error: BaseException, context: QObject | None) -> None:
    """A failure nobody handles: its sentence in the window's status bar, and in the log."""
    sentence = user_message(error)
    _log.warning("an operation failed and nothing handled it: %s", sentence)
    window = _outermost(context) or QApplication.activeWindow()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(sentence)


def _outermost(context: QObject | None) -> QWidget | None:
    """The window a widget sits in, through the dialogs it opened."""
    if not isinstance(context, QWidget) or not _alive(context):
        return None
    while (parent := context.parentWidget()) is not None:
        context = parent
    return context


def running_count() -> int:
    """Operations whose result has not yet been delivered to the GUI thread."""
    return len(_running)


def _alive(obj: QObject | None) -> bool:
    if obj is None:
        return True
    try:
        obj.objectName()  # raises RuntimeError once the C++ object is gone
    except RuntimeError:
        return False
    return True
