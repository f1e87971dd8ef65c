"""RiskScanStatus: a line under the review queue that scans new and edited notes for risk language
on a worker when the queue first opens, says how it went, and stops when the page goes away.

The scan is incremental (`notes.scan_risk_language`): usually a handful of notes, a whole run only
after a new lexicon version. What it changes reaches the queue as a published change.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from backoffice.services.login import StaffSession
from backoffice.services.notes import RiskScanResult, scan_risk_language
from backoffice.ui.qt_helpers import named
from backoffice.ui.service_call import call
from backoffice.ui.tasks import Op, run_op, user_message


class RiskScanStatus(QLabel):
    scanned = Signal(object)  # the RiskScanResult, once a scan is done

    def __init__(self, session: StaffSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "notes_risk_scan", wordWrap=True)
        self.session = session
        self.result: RiskScanResult | None = None
        self._op: Op[Any] | None = None
        self.destroyed.connect(self.stop)

    @property
    def running(self) -> bool:
        return self._op is not None

    def start(self) -> None:
        """Scan what is new or edited since the last scan (nothing if one is running)."""
        if self._op is not None:
            return
        self.setText("Checking new and edited notes for risk language…")
        session = self.session

        def work(op: Op[Any]) -> RiskScanResult:
            return call(
                session,
                scan_risk_language,
                progress=lambda examined, flagged: op.report((examined, flagged)),
                cancelled=op.cancel_event.is_set,
            )

        self._op = run_op(
            work,
            with_op=True,
            on_success=self._on_done,
            on_failure=self._on_failed,
            on_progress=self._on_progress,
            context=self,
        )

    def stop(self) -> None:
        """Ask a running scan to stop after its batch (the next one goes on from there)."""
        if self._op is not None:
            self._op.cancel()

    def _on_progress(self, value: tuple[int, int]) -> None:
        examined, flagged = value
        self.setText(
            f"Checking notes for risk language: {examined:,} checked, {flagged:,} flagged so far…"
        )

    def _on_done(self, result: RiskScanResult) -> None:
        self._op, self.result = None, result
        self.setText(summary(result))
        self.scanned.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self._op = None
        self.setText(f"Risk-language check not done: {user_message(error)}")


def summary(result: RiskScanResult) -> str:
    """What the scan did, in a sentence."""
    if not result.examined:
        return "Every note has been checked for risk language."
    notes = "note" if result.examined == 1 else "notes"
    found = f"{result.flagged:,} with risk language in the text"
    if not result.complete:
        return f"Risk-language check stopped after {result.examined:,} {notes}: {found}."
    return f"Checked {result.examined:,} new or edited {notes} for risk language: {found}."
