"""An offline login: the copy opened on this computer, and what a sync needs to reach the server
again (the server profile, the login and its password, kept in memory as a signed-in window's
connection keeps it). `OfflineCharts` lets My caseload and the chart read the copy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from backoffice.services.chart import CaseloadRow
from backoffice.services.login import ServerProfile
from backoffice.services.notes import NoteDetail
from backoffice.services.offline import (
    DraftResult,
    OfflineChart,
    OfflineCopy,
    SyncResult,
    open_copy,
    read_caseload,
    read_chart,
    read_note,
    save_draft,
    sync_caseload,
)


@dataclass
class OfflineSession:
    """Who works offline, on which copy; `copy` is replaced by the refreshed one after a sync."""

    copy: OfflineCopy
    profile: ServerProfile
    password: str = field(repr=False)

    @property
    def login(self) -> str:
        return self.copy.actor.login_role

    @property
    def expires_at(self) -> dt.datetime:
        return self.copy.info.expires_at


@dataclass(frozen=True)
class OfflineCharts:
    """The chart's source offline: the copy, read only, and drafts written into it."""

    session: OfflineSession

    @property
    def viewer_therapist_id(self) -> str | None:
        return self.session.copy.actor.therapist_id

    def list_caseload(self, *, search: str | None) -> tuple[CaseloadRow, ...]:
        return read_caseload(self.session.copy, search=search)

    def get_chart(self, **target: Any) -> OfflineChart:
        return read_chart(self.session.copy, **target)

    def open_note(self, *, note_id: int) -> NoteDetail:
        return read_note(self.session.copy, note_id=note_id)

    def add_note(self, *, booking_id: str, text: str, draft_id: str | None = None) -> DraftResult:
        return save_draft(self.session.copy, booking_id=booking_id, text=text, draft_id=draft_id)

    def saved_sentence(self, result: DraftResult) -> str:
        return "Draft saved on this computer: the next sync sends it to the server."


def sync_now(session: OfflineSession) -> tuple[SyncResult, OfflineCopy]:
    """On a worker: sign in to the server as the offline login, sync, and open the refreshed copy.
    Raises DatabaseUnavailable (still offline: nothing changed here) and the sync's errors."""
    from backoffice.services.login import open_session

    online = open_session(session.profile, username=session.login, password=session.password)
    try:
        result = sync_caseload(
            online.unit_of_work,
            online.actor,
            password=session.password,
            server=session.profile.key,
        )
    finally:
        online.close()
    copy = open_copy(server=session.profile.key, login=session.login, password=session.password)
    return result, copy


def sync_summary(result: SyncResult) -> str:
    """What a sync did, in a sentence or two."""
    parts = [f"{len(result.uploaded)} draft(s) uploaded"]
    if result.kept:
        reasons = "; ".join(sorted({d.message or "" for d in result.kept}))
        parts.append(f"{len(result.kept)} kept on this computer ({reasons})")
    if result.conflicts:
        parts.append(f"{len(result.conflicts)} conflict(s) to settle in the chart")
    return f"Synced: {', '.join(parts)}. The copy is refreshed."
