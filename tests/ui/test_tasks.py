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
