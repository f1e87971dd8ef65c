"""What checking the audit chain returns: the events it names, the head it ends at, the verdict."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from backoffice.services.clock import CLINIC_TIMEZONE
from backoffice.values import counted, id_text, moment_text

_CLINIC_ZONE = ZoneInfo(CLINIC_TIMEZONE)


@dataclass(frozen=True)
class EventRef:
    """An audit event as a sentence names it: id, action and when (None: not known)."""

    event_id: int
    action: str | None
    occurred_at: dt.datetime | None

    def text(self) -> str:
        """ "event 1204 (refund.approved, 3 Nov 2026, 10:02 IST)"."""
        said = [self.action] if self.action else []
        if self.occurred_at is not None:
            local = self.occurred_at.astimezone(_CLINIC_ZONE)
            said.append(f"{moment_text(local)} {local.tzname()}")
        about = f" ({', '.join(said)})" if said else ""
        return f"event {id_text(self.event_id)}{about}"


@dataclass(frozen=True)
class ChainHead:
    """Where the chain ends: its length, the last hash, and the event that hash belongs to."""

    length: int
    last_hash: bytes
    last_event: EventRef | None

    @property
    def hash_hex(self) -> str:
        return self.last_hash.hex()

    def anchor_text(self) -> str:
        """The line a report prints and the daily export writes: enough for `verify --anchors`."""
        if self.last_event is None:
            return "Audit trail: no event yet."
        return (
            f"Audit trail: {self.last_event.text()}, sha256:{self.hash_hex}, "
            f"{counted(self.length, 'event')} in the chain."
        )


@dataclass(frozen=True)
class ChainCheck:
    """The verdict of one walk of the chain.

    `verified`: events found in order and unchanged before the first problem (all of them when
    `intact`); `last_verified`: the last of those; `problem`: the one sentence naming the first
    event edited, deleted or inserted out of order; `head`: the chain's head as the database keeps it.
    """

    intact: bool
    verified: int
    last_verified: EventRef | None
    head: ChainHead
    problem: str | None = None

    def summary(self) -> str:
        """One sentence for the window and the command line."""
        if not self.intact:
            return self.problem or "The audit trail is broken."
        if self.last_verified is None:
            return "The audit trail is intact: no event has been written yet."
        return (
            f"The audit trail is intact: {counted(self.verified, 'event')} verified, up to "
            f"{self.last_verified.text()}; its latest hash is sha256:{self.head.hash_hex}."
        )
