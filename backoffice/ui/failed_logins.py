"""The login window's refused passwords, kept on this workstation until someone logs in and the
audit log has them (see `services.login.attempts`).

QSettings keeps, per attempt, the user name typed, the server and the time: never a password.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import platform
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from backoffice.services.login import FailedLogin

if TYPE_CHECKING:
    from backoffice.services.login import StaffSession

_log = logging.getLogger(__name__)
KEY = "login/failed_attempts"
KEPT = 100  # the newest; a workstation where nobody logs in must not grow its settings for ever


class FailedLoginStore:
    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def add(self, *, username: str, server: str) -> None:
        """One refused password, now."""
        entry: dict[str, object] = {
            "username": username,
            "server": server,
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        self._write([*self._read(), entry][-KEPT:])

    def for_server(self, server: str) -> tuple[FailedLogin, ...]:
        """The attempts made against `server`, oldest first, to report."""
        workstation = platform.node()
        return tuple(
            FailedLogin(
                username=str(e["username"]),
                server=server,
                at=dt.datetime.fromisoformat(str(e["at"])),
                workstation=workstation,
            )
            for e in self._read()
            if e.get("server") == server
        )

    def forget(self, server: str) -> None:
        """They are on record now."""
        self._write([e for e in self._read() if e.get("server") != server])

    def _read(self) -> list[dict[str, object]]:
        try:
            entries = json.loads(str(self._settings.value(KEY, "[]")))
        except ValueError:
            return []
        return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []

    def _write(self, entries: list[dict[str, object]]) -> None:
        self._settings.setValue(KEY, json.dumps(entries))
        self._settings.sync()


def report_failed_logins(session: StaffSession, failed: tuple[FailedLogin, ...]) -> bool:
    """On the worker, once logged in: put the refused passwords on record. A failure to do so is
    logged and never stops the login; the attempts are kept for the next one."""
    if not failed:
        return False
    from backoffice.services.login import record_failed_logins

    try:
        with session.unit_of_work() as uow:
            record_failed_logins(uow, session.actor, attempts=failed)
    except Exception:
        _log.warning("could not put %d refused logins on record", len(failed), exc_info=True)
        return False
    return True
