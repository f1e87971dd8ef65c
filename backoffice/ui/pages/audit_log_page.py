"""The admin's Audit log: every audit event in a lazy table, and above it the state of the hash
chain that makes the trail tamper-evident (verified up to event N, or the first event edited,
deleted or inserted out of order), walked on a worker when the page is shown and after every
workflow, since each one writes an event.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from backoffice.services.audit_trail import ChainCheck, check_audit_trail
from backoffice.services.browse import AUDIT_EVENTS
from backoffice.services.login import StaffSession
from backoffice.ui.pages.list_page import ListPage
from backoffice.ui.qt_helpers import named
from backoffice.ui.tasks import run_op, user_message
from backoffice.ui.widgets.lazy_parts import LazyParts, Part
from backoffice.values import counted

CHECKING = "Checking the audit trail's hash chain…"


class AuditLogPage(ListPage):
    def __init__(self, session: StaffSession) -> None:
        super().__init__(session, AUDIT_EVENTS, heading="Audit log")
        self.chain_state = named(QLabel(CHECKING), "audit_chain_state", wordWrap=True)
        self.chain_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.chain_state)
        self._checking, self._check_again = False, False
        table = Part(AUDIT_EVENTS.shows, self.table.refresh, first_load=self.table.open)
        self.parts = LazyParts(self, [table, Part(None, self.check_chain)], lambda: (0, 1))

    def check_chain(self) -> None:
        """Walk the chain on a worker; a check asked for while one runs follows it."""
        if self._checking:
            self._check_again = True
            return
        self._checking = True
        self._show(CHECKING, error=False)
        session = self.session

        def work() -> ChainCheck:
            with session.unit_of_work() as uow:
                return check_audit_trail(uow, session.actor)

        run_op(work, on_success=self._on_checked, on_failure=self._on_failed, context=self)

    def _on_checked(self, check: ChainCheck) -> None:
        self._show(chain_state_text(check), error=not check.intact)
        self._done()

    def _on_failed(self, error: BaseException) -> None:
        self._show(user_message(error), error=True)
        self._done()

    def _done(self) -> None:
        self._checking = False
        if self._check_again:
            self._check_again = False
            self.check_chain()

    def _show(self, text: str, *, error: bool) -> None:
        self.chain_state.setText(text)
        self.chain_state.setProperty("error", error)
        font = self.chain_state.font()
        font.setBold(error)
        self.chain_state.setFont(font)


def chain_state_text(check: ChainCheck) -> str:
    """ "Hash chain verified up to event 1204 (…)" or "Hash chain broken: <the first problem>"."""
    if check.intact and check.last_verified is None:
        return "Hash chain: no event has been written yet."
    if check.intact:
        assert check.last_verified is not None
        return (
            f"Hash chain verified up to {check.last_verified.text()}: "
            f"{counted(check.verified, 'event')} in order and unchanged. "
            f"Latest hash sha256:{check.head.hash_hex}."
        )
    before = (
        f" Before it, {counted(check.verified, 'event')} verified, up to "
        f"{check.last_verified.text()}."
        if check.last_verified is not None
        else ""
    )
    return f"Hash chain broken: {check.problem}{before}"
