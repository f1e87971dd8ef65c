"""`backoffice demo --screenshots DIR`: log in as each demo role, visit every page, save a PNG of each,
and one of a client's chart for the roles that open charts."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from backoffice.credentials import CredentialStore
from backoffice.services.chart import list_caseload
from backoffice.services.login import ServerProfile, StaffSession, open_session
from backoffice.services.notes import list_review_queue
from backoffice.services.permissions import Permission
from backoffice.ui.login_window import LoginWindow
from backoffice.ui.main_window import MainWindow
from backoffice.ui.tasks import pool
from backoffice.ui.widgets.demo_logins import DemoLogin

SETTLE_MS = 1_500


def take_screenshots(
    profile: ServerProfile,
    logins: Sequence[tuple[str, str, str]],
    out_dir: Path,
    *,
    demo_logins: Sequence[DemoLogin] = (),
) -> list[Path]:
    """One PNG per page and role (plus the login window); returns the files written. Window
    layouts go to a throw-away settings file, never into `out_dir` or the person's own settings."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="backoffice-screenshots-") as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        written = [_login_window(profile, settings, out_dir, demo_logins)]
        for username, password, role in logins:
            written += _pages(profile, settings, out_dir, (username, password, role))
        pool().waitForDone(10_000)
    return written


def _pages(
    profile: ServerProfile, settings: QSettings, out_dir: Path, login: tuple[str, str, str]
) -> list[Path]:
    """Every page of one login's window, and a client's chart when the role has one."""
    username, password, role = login
    session = open_session(profile, username=username, password=password)
    window = MainWindow(session, settings=settings)
    window.resize(1280, 800)
    window.show()
    written = []
    for key in window.page_keys():
        window.show_page(key)
        _settle()
        path = out_dir / f"{role}-{username}-{key}.png"
        window.grab().save(str(path))
        written.append(path)
    target = chart_target(session)
    if target is not None:
        window.open_chart(**target)
        _settle()
        written.append(out_dir / f"{role}-{username}-chart.png")
        window.grab().save(str(written[-1]))
    window.close()
    session.close()
    return written


def chart_target(session: StaffSession) -> dict[str, Any] | None:
    """A chart worth showing: a therapist's client whose notes mention self-harm (else the one
    seen most), the client of the admin's first self-harm note in the queue; None for finance."""
    actor = session.actor
    with session.unit_of_work() as uow:
        if actor.may(Permission.VIEW_CASELOAD):
            rows = list_caseload(uow, actor)
            ranked = sorted(rows, key=lambda r: (not r.self_harm_ever, -r.sessions_so_far))
            return {"client_id": ranked[0].client_id} if ranked else None
        if actor.may(Permission.REVIEW_NOTES):
            queue = list_review_queue(uow, actor, risk="self_harm", limit=1)
            return {"note_id": queue[0].note_id} if queue else None
    return None


def _login_window(
    profile: ServerProfile, settings: QSettings, out_dir: Path, demo_logins: Sequence[DemoLogin]
) -> Path:
    window = LoginWindow(
        settings=settings, credentials=CredentialStore(), demo=profile, demo_logins=demo_logins
    )
    window.show()
    _settle()
    path = out_dir / "login-window.png"
    window.grab().save(str(path))
    window.close()
    return path


def _settle() -> None:
    """Let background loads finish and the window paint."""
    from PySide6.QtCore import QDeadlineTimer, QThread

    deadline = QDeadlineTimer(SETTLE_MS)
    while not deadline.hasExpired():
        QApplication.processEvents()
        QThread.msleep(20)
