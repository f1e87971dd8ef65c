"""What the offline services return: frozen values, and the error that says offline is unavailable."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Literal

from backoffice.credentials import ServerKey
from backoffice.errors import BackofficeError
from backoffice.services.changes import Area, Changes
from backoffice.services.chart import ClientChart
from backoffice.services.permissions import Actor

DraftState = Literal["draft", "uploaded", "kept", "conflict"]


class OfflineUnavailable(BackofficeError):
    """The offline copy cannot be used here and now (keyring, key, expiry, clock); the sentence
    says why. Never followed by a plaintext fallback."""


class CopyExpired(OfflineUnavailable):
    """The copy's time is up: unreadable, to be wiped (its drafts may still be synced)."""


@dataclass(frozen=True)
class CopyInfo:
    """An offline copy on this computer, as its plaintext manifest describes it (no key needed):
    who, which server, when it was taken and until when it may be read."""

    directory: Path
    login: str
    server: ServerKey
    taken_at: dt.datetime  # UTC
    expires_at: dt.datetime  # UTC
    drafts_pending: int  # drafts not yet on the server (as of the last save)

    def expired(self, now: dt.datetime) -> bool:
        return now >= self.expires_at


@dataclass(frozen=True)
class OfflineCopy:
    """An offline copy opened with its key (an offline login): read it with the offline reads."""

    info: CopyInfo
    file: Path
    key: bytes = field(repr=False)
    actor: Actor
    taken_at: dt.datetime  # the clinic's wall-clock time when the copy was taken


@dataclass(frozen=True)
class Draft:
    """An additional note written offline: on this computer until a sync uploads it.

    `state`: "draft" (not uploaded yet), "uploaded" (on record as additional note `note_id`),
    "kept" (the server refused it, `message` says why; it stays here), or "conflict" (uploaded
    earlier and edited since: `text` is this computer's, `server_text` the one on record).
    """

    draft_id: str  # a UUID made on this computer
    booking_id: str
    client_id: str
    text: str
    written_at: dt.datetime  # this computer's clinic time
    edited_at: dt.datetime
    state: DraftState
    note_id: int | None = None
    server_text: str | None = None
    message: str | None = None

    @property
    def pending(self) -> bool:
        """Still to be uploaded (a conflict waits for the therapist to choose)."""
        return self.state in ("draft", "kept")


@dataclass(frozen=True)
class OfflineChart(ClientChart):
    """A client's chart read from the offline copy, with the drafts written on their sessions."""

    drafts: tuple[Draft, ...] = ()

    def drafts_on(self, booking_id: str | None) -> tuple[Draft, ...]:
        return tuple(d for d in self.drafts if d.booking_id == booking_id)


@dataclass(frozen=True)
class DraftResult:
    """The draft `save_draft` wrote (or `discard_draft` removed)."""

    changes: ClassVar[Changes] = Changes.of(Area.ADDITIONAL_NOTES)

    draft_id: str
    booking_id: str
    state: DraftState | None  # None: removed


@dataclass(frozen=True)
class CheckoutResult:
    """A caseload taken offline (or refreshed by a sync)."""

    info: CopyInfo
    clients: int
    sessions: int
    notes: int
    left_out: int  # notes written after the opening was recorded: in the next copy


@dataclass(frozen=True)
class UploadResult:
    """What the server did with one draft: "added", "already" (an earlier upload landed) or
    "conflict" (an earlier upload landed and the draft was edited since)."""

    draft_id: str
    outcome: Literal["added", "already", "conflict"]
    note_id: int
    written_at: dt.datetime | None
    server_text: str | None


@dataclass(frozen=True)
class SyncResult:
    """A sync: drafts uploaded (or found uploaded), in conflict, kept with the reason, and the
    refreshed copy."""

    changes: ClassVar[Changes] = Changes.of(Area.ADDITIONAL_NOTES)

    uploaded: tuple[Draft, ...]
    conflicts: tuple[Draft, ...]
    kept: tuple[Draft, ...]
    checkout: CheckoutResult
