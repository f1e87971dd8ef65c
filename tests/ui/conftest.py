"""UI tests run offscreen; a test that leaves a background operation running fails."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest


@pytest.fixture(autouse=True, scope="session")
def garbage_collected_on_the_gui_thread(qapp):
    """As the application does (backoffice.app.qt_application): never on a worker thread."""
    from backoffice.ui.gui_thread_gc import collect_on_gui_thread

    return collect_on_gui_thread(qapp)


@pytest.fixture(autouse=True)
def no_operation_left_running(qapp):
    from backoffice.ui import tasks

    yield
    finished = tasks.pool().waitForDone(10_000)
    qapp.processEvents()
    assert finished, "a test left a worker thread running"
    assert tasks.running_count() == 0, "a test left an operation whose result was never delivered"
