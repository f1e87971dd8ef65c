"""run_op: work runs off the GUI thread, results and errors come back on it."""

from __future__ import annotations

import threading

from backoffice.errors import ValidationError
from backoffice.ui.tasks import Cancelled, run_op, user_message


def test_work_runs_on_a_worker_and_the_result_arrives_on_the_gui_thread(qtbot):
    gui_thread = threading.get_ident()
    seen = {}

    def work():
        seen["worker"] = threading.get_ident()
        return 42

    def on_success(value):
        seen["callback"] = threading.get_ident()
        seen["value"] = value

    run_op(work, on_success=on_success)
    qtbot.waitUntil(lambda: "value" in seen, timeout=5_000)

    assert seen["worker"] != gui_thread
    assert seen["callback"] == gui_thread
    assert seen["value"] == 42


def test_a_failure_arrives_as_the_errors_own_sentence(qtbot):
    errors = []

    def work():
        raise ValidationError("The amount must be positive.")

    run_op(work, on_failure=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)

    assert user_message(errors[0]) == "The amount must be positive."


def test_an_unexpected_failure_is_named_without_its_details(qtbot):
    errors = []
    run_op(lambda: {}["secret-key"], on_failure=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)

    message = user_message(errors[0])
    assert "KeyError" in message and "secret-key" not in message


def test_progress_is_delivered_and_cancel_stops_the_work(qtbot):
    progress, errors = [], []
    started = threading.Event()

    def work(op):
        op.report(1)
        started.set()
        for _ in range(500):
            op.raise_if_cancelled()
            threading.Event().wait(0.01)
        return "finished"

    op = run_op(
        work,
        with_op=True,
        on_progress=progress.append,
        on_failure=errors.append,
        on_success=lambda _: errors.append("not cancelled"),
    )
    assert started.wait(5)
    op.cancel()
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)

    assert progress == [1]
    assert isinstance(errors[0], Cancelled)


def test_no_callback_reaches_a_page_that_was_closed_meanwhile(qtbot):
    from PySide6.QtWidgets import QWidget

    page = QWidget()
    gate = threading.Event()
    calls = []
    run_op(lambda: gate.wait(5), on_success=calls.append, context=page)
    page.deleteLater()
    qtbot.waitUntil(lambda: _deleted(page), timeout=5_000)
    gate.set()
    from backoffice.ui import tasks

    qtbot.waitUntil(lambda: tasks.running_count() == 0, timeout=5_000)
    assert calls == []


def _deleted(widget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:
        return True
    return False


def _window_with_page():
    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QMainWindow, QWidget

    class Window(QMainWindow):
        changes_published = Signal(object)

    window, page = Window(), QWidget()
    window.setCentralWidget(page)
    return window, page


def test_a_failure_nobody_handles_is_shown_in_the_window_and_logged(qtbot, caplog):
    window, page = _window_with_page()
    qtbot.addWidget(window)

    def work():
        raise ValidationError("The amount must be positive.")

    run_op(work, context=page)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "", timeout=5_000)

    assert window.statusBar().currentMessage() == "The amount must be positive."
    assert "The amount must be positive." in caplog.text


def test_a_failure_nobody_handles_outside_any_window_is_still_logged(qtbot, caplog):
    from backoffice.ui import tasks

    def work():
        raise ValidationError("The server did not answer.")

    run_op(work)
    qtbot.waitUntil(lambda: tasks.running_count() == 0, timeout=5_000)

    assert "The server did not answer." in caplog.text


def test_a_workflow_result_publishes_what_it_changed_on_the_main_window(qtbot):
    from backoffice.services.changes import Area, Changes
    from backoffice.services.notes import LinkResult

    window, page = _window_with_page()
    qtbot.addWidget(window)
    linked = LinkResult(note_id=1, old_booking_id=None, booking_id="BK-1")
    with qtbot.waitSignal(window.changes_published, timeout=5_000) as published:
        run_op(lambda: linked, context=page)

    assert published.args == [Changes.of(Area.NOTES)]


def test_a_read_publishes_nothing(qtbot):
    window, page = _window_with_page()
    qtbot.addWidget(window)
    delivered = []
    with qtbot.assertNotEmitted(window.changes_published, wait=200):
        run_op(lambda: ("a", "row"), on_success=delivered.append, context=page)
        qtbot.waitUntil(lambda: bool(delivered), timeout=5_000)


def test_a_page_shown_on_its_own_hears_its_changes_directly(qtbot):
    from PySide6.QtWidgets import QDialog, QWidget

    from backoffice.services.changes import Area, Changes
    from backoffice.services.notes import LinkResult

    class Page(QWidget):
        def __init__(self):
            super().__init__()
            self.heard = []

        def on_changes(self, changes):
            self.heard.append(changes)

    page = Page()
    dialog = QDialog(page)  # a dialog the page opened
    qtbot.addWidget(page)
    run_op(lambda: LinkResult(note_id=1, old_booking_id=None, booking_id="BK-1"), context=dialog)
    qtbot.waitUntil(lambda: bool(page.heard), timeout=5_000)

    assert page.heard == [Changes.of(Area.NOTES)]
