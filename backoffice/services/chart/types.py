"""What the client chart's services return: frozen values, never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from backoffice.services.changes import Area, Changes
from backoffice.services.notes import ClientSession


@dataclass(frozen=True)
class CaseloadRow:
    """One client of a therapist's caseload, with what the therapist looks at first."""

    client_id: str
    client_name: str | None
    next_session: dt.datetime | None
    last_session: dt.datetime | None
    sessions_so_far: int  # past sessions that were not cancelled (shared history included)
    latest_risk: str | None  # the risk level of the latest note
    latest_high_risk: bool  # the latest note records a high risk level or mentions self-harm
    self_harm_ever: bool  # any note ever mentioned self-harm
    notes_due: int


@dataclass(frozen=True)
class ChartClient:
    """Who the client is, as the chart's header shows them (`all_clients_table`)."""

    client_id: str
    client_name: str | None
    phone: str | None
    email: str | None
    therapist_id: str | None
    therapist_name: str | None


@dataclass(frozen=True)
class AdditionalNote:
    """A note a therapist added to a session (`client_additional_notes`)."""

    note_id: int
    booking_id: str
    therapist_id: str | None
    therapist_name: str | None
    text: str
    written_at: dt.datetime | None
    mine: bool  # written by the signed-in therapist


@dataclass(frozen=True)
class TransferRow:
    """The client moved from one therapist to another."""

    transfer_id: int
    transferred_at: dt.datetime | None
    from_therapist_id: str | None
    from_therapist: str | None
    to_therapist_id: str
    to_therapist: str
    reason: str | None


@dataclass(frozen=True)
class ChartEntry:
    """One session on the chart's timeline, with the additional notes written on it."""

    session: ClientSession
    upcoming: bool
    by_previous_therapist: bool  # shared history: held (and its note written) by someone else
    additional_notes: tuple[AdditionalNote, ...]


@dataclass(frozen=True)
class ClientChart:
    """One client's chart as this login may see it. Note content is not here: opening a note
    (`notes.open_note`) puts the reading on record first."""

    client_id: str
    client_name: str | None
    phone: str | None
    email: str | None
    therapist_id: str | None
    therapist_name: str | None
    with_therapist_since: dt.datetime | None  # with the current therapist since
    transfers: tuple[TransferRow, ...]  # oldest first
    upcoming: tuple[ChartEntry, ...]  # soonest first
    past: tuple[ChartEntry, ...]  # latest first
    as_of: dt.datetime  # the clinic's now when it was read
    focus_booking_id: str | None  # the session it was opened for, if any
    may_write: bool  # the signed-in person may add notes to their own sessions

    @property
    def history(self) -> tuple[ClientSession, ...]:
        """The past sessions, oldest first."""
        return tuple(e.session for e in reversed(self.past))

    @property
    def risk_over_time(self) -> tuple[ClientSession, ...]:
        """The past sessions that have a note, oldest first."""
        return tuple(e.session for e in reversed(self.past) if e.session.note_id is not None)

    @property
    def notes_due(self) -> int:
        return sum(e.session.note_due for e in self.past)

    @property
    def self_harm_mentions(self) -> int:
        return sum(s.self_harm for s in self.risk_over_time)

    @property
    def shared_history(self) -> bool:
        """Some sessions were held by another therapist and shared with the signed-in one."""
        return any(e.by_previous_therapist for e in self.past)

    def entry(self, booking_id: str | None) -> ChartEntry | None:
        return next(
            (e for e in self.past + self.upcoming if e.session.booking_id == booking_id), None
        )


@dataclass(frozen=True)
class AdditionalNoteResult:
    """The additional note `add_additional_note` wrote."""

    changes: ClassVar[Changes] = Changes.of(Area.ADDITIONAL_NOTES)

    note_id: int
    booking_id: str
    written_at: dt.datetime
