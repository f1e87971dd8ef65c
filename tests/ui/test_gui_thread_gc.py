"""Garbage is collected on the GUI thread only: a Qt object in a cycle must never die on a worker."""

from __future__ import annotations

import gc
import threading

from backoffice.ui.gui_thread_gc import collect_on_gui_thread


class _Cycle:
    """Half of a reference cycle that remembers the thread its finaliser ran on."""

    died_on: list[str] = []

    def __init__(self) -> None:
        self.partner: _Cycle | None = None

    def __del__(self) -> None:
        _Cycle.died_on.append(threading.current_thread().name)


def _make_cycle() -> None:
    first, second = _Cycle(), _Cycle()
    first.partner, second.partner = second, first


def _allocate_on_a_worker() -> None:
    def churn() -> None:
        kept = [[] for _ in range(50_000)]  # live containers: the collector counts them
        del kept

    worker = threading.Thread(target=churn, name="worker")
    worker.start()
    worker.join()


def test_a_cycle_left_by_the_gui_thread_is_not_collected_on_a_worker(qapp) -> None:
    collector = collect_on_gui_thread(qapp)
    gc.collect()
    _Cycle.died_on.clear()
    _make_cycle()
    _allocate_on_a_worker()
    assert _Cycle.died_on == []
    collector.collect_due()
    gc.collect()
    assert set(_Cycle.died_on) == {threading.current_thread().name}


def test_the_collector_is_installed_once_and_turns_automatic_collection_off(qapp) -> None:
    assert collect_on_gui_thread(qapp) is collect_on_gui_thread(qapp)
    assert not gc.isenabled()


def test_the_timer_collects_what_passed_the_thresholds(qapp, qtbot) -> None:
    collector = collect_on_gui_thread(qapp)
    gc.collect()
    _Cycle.died_on.clear()
    for _ in range(gc.get_threshold()[0] + 10):
        _make_cycle()
    qtbot.waitUntil(lambda: len(_Cycle.died_on) > 0, timeout=5_000)
    assert collector.collect_due() >= 0
