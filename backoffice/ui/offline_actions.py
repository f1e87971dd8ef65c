"""The main window's Offline menu (therapists): take the caseload offline, sync the copy, wipe it,
through the same services as `backoffice offline`. Each asks for the password that protects the
copy (checked against the server first), and runs on a worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from backoffice.credentials import CredentialStore
from backoffice.services.clock import clinic_time_of
from backoffice.services.login import StaffSession, confirm_password
from backoffice.services.offline import (
    CheckoutResult,
    CopyInfo,
    SyncResult,
    checkout_caseload,
    list_copies,
    sync_caseload,
    wipe_copy,
)
from backoffice.services.permissions import Permission
from backoffice.ui.dialogs.offline_dialogs import OfflinePasswordDialog, confirm_wipe
from backoffice.ui.offline_session import sync_summary
from backoffice.ui.tasks import report_failure, run_op
from backoffice.values import moment_text

TAKE = (
    "Taking your caseload offline puts your clients, sessions and notes on this computer, "
    "encrypted. It opens with this password and this computer's keyring. Your password:"
)
SYNC = "Your drafts go to the server, then the copy is refreshed. Your password:"


def copy_here(session: StaffSession) -> CopyInfo | None:
    """This login's copy from this server on this computer, if any (its manifest: a small file)."""
    key = session.profile.key
    return next((c for c in list_copies(session.actor.login_role) if c.server == key), None)


def add_offline_menu(window: QMainWindow, session: StaffSession) -> QMenu | None:
    """The Offline menu, for a role that may take a caseload offline (None for the others)."""
    if not session.actor.may(Permission.TAKE_CASELOAD_OFFLINE):
        return None
    menu = window.menuBar().addMenu("&Offline")
    for text, slot in (
        ("Take my caseload offline…", lambda: _ask(window, session, TAKE, _take)),
        ("Sync my offline copy…", lambda: _ask(window, session, SYNC, _sync)),
        ("Wipe my offline copy…", lambda: _wipe(window, session)),
    ):
        action = QAction(text, window)
        action.triggered.connect(slot)
        menu.addAction(action)
    return menu


def _ask(
    window: QMainWindow,
    session: StaffSession,
    explanation: str,
    work: Callable[[StaffSession, str], Any],
) -> None:
    key, login = session.profile.key, session.actor.login_role
    run_op(
        lambda: CredentialStore().recall(key, login) is not None,
        on_success=lambda remembered: _ask_password(window, session, explanation, work, remembered),
        context=window,
    )


def _ask_password(
    window: QMainWindow,
    session: StaffSession,
    explanation: str,
    work: Callable[[StaffSession, str], Any],
    remembered: bool,
) -> None:
    dialog = OfflinePasswordDialog(
        window, title="Your offline copy", explanation=explanation, remembered=remembered
    )
    if not dialog.exec():
        return
    password = dialog.typed()
    window.statusBar().showMessage("Working on your offline copy…")
    run_op(
        lambda: work(session, password),
        on_success=lambda result: window.statusBar().showMessage(_done(result)),
        on_failure=lambda error: report_failure(error, window),
        context=window,
    )


def _take(session: StaffSession, password: str) -> CheckoutResult:
    confirm_password(session, password=password)
    return checkout_caseload(
        session.unit_of_work, session.actor, password=password, server=session.profile.key
    )


def _sync(session: StaffSession, password: str) -> SyncResult:
    confirm_password(session, password=password)
    return sync_caseload(
        session.unit_of_work, session.actor, password=password, server=session.profile.key
    )


def _done(result: CheckoutResult | SyncResult) -> str:
    if isinstance(result, SyncResult):
        return sync_summary(result)
    until = moment_text(clinic_time_of(result.info.expires_at))
    return (
        f"Your caseload is on this computer, encrypted: {result.clients} client(s), "
        f"{result.notes} note(s), readable offline until {until} (clinic time)."
    )


def _wipe(window: QMainWindow, session: StaffSession) -> None:
    info = copy_here(session)
    if info is None:
        window.statusBar().showMessage("There is no offline copy of yours on this computer.")
        return
    if confirm_wipe(window, info):
        wipe_in_background(session, window)


def wipe_in_background(session: StaffSession, window: QMainWindow | None = None) -> None:
    """Wipe this login's copy (the keyring's secret first, then the files) on a worker."""
    key, login = session.profile.key, session.actor.login_role
    run_op(
        lambda: wipe_copy(server=key, login=login),
        on_success=lambda note: (
            window.statusBar().showMessage(note or "The copy is wiped.")
            if window is not None
            else None
        ),
        context=window,
    )
