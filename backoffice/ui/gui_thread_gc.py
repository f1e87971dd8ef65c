"""Python's garbage collector runs on the GUI thread only.

A reference cycle that holds Qt objects, collected while a worker thread happens to allocate,
destroys those objects on the worker, off the thread that owns them, and Qt crashes (seen as a
segmentation fault while a worker built the dashboard). So automatic collection is switched off and
a timer on the GUI thread collects instead, generation by generation, whenever the collector's own
thresholds say it would have (the approach pyqtgraph's GarbageCollector takes).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

_INTERVAL_MS = 500


class GuiThreadGarbageCollector(QObject):
    """Collects on the GUI thread, on a timer; automatic collection stays off while it lives."""

    def __init__(self, parent: QObject, interval_ms: int = _INTERVAL_MS) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(interval_ms)
        self.destroyed.connect(lambda *_: gc.enable())

    def collect_due(self) -> int:
        """Collect each generation whose count passed its threshold; the objects found unreachable."""
        found = 0
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in range(3):
            if counts[generation] > thresholds[generation]:
                found += gc.collect(generation)
        return found


def collect_on_gui_thread(app: QCoreApplication) -> GuiThreadGarbageCollector:
    """Install the collector on `app` once; later calls return the one installed."""
    existing = app.findChild(GuiThreadGarbageCollector)
    if isinstance(existing, GuiThreadGarbageCollector):
        return existing
    return GuiThreadGarbageCollector(app)
