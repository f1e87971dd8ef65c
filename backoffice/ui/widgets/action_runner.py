"""A page's calls into the services: run on the pool, counted while they run so that the page's
buttons wait for them, and a failure handed back as the error's own sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from backoffice.ui.tasks import run_op, user_message


class ActionRunner:
    def __init__(
        self,
        owner: QWidget,
        *,
        on_changed: Callable[[], None],
        on_failed: Callable[[str], None],
    ) -> None:
        self._owner = owner
        self._running = 0
        self._on_changed = on_changed
        self._on_failed = on_failed

    @property
    def busy(self) -> bool:
        return self._running > 0

    def start(self, work: Callable[[], Any], on_success: Callable[[Any], None]) -> None:
        """Run `work` on a worker; `on_success(result)` runs on the GUI thread afterwards."""
        self._running += 1
        self._on_changed()

        def succeeded(value: Any) -> None:
            self._running -= 1
            on_success(value)
            self._on_changed()

        def failed(error: BaseException) -> None:
            self._running -= 1
            self._on_failed(user_message(error))
            self._on_changed()

        run_op(work, on_success=succeeded, on_failure=failed, context=self._owner)
