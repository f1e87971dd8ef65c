"""What the client-transfer workflows return: frozen values, never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from backoffice.services.changes import Area, Changes


@dataclass(frozen=True)
class TransferResult:
    """One client moved: the rows that changed hands from `moved_from` on (earlier ones stayed)."""

    changes: ClassVar[Changes] = Changes.of(
        Area.CLIENTS, Area.APPOINTMENTS, Area.BOOKINGS, Area.THERAPISTS
    )

    transfer_id: int  # public.client_transfer_history.transfer_id
    client_id: str
    client_name: str
    from_therapist_id: str | None
    from_therapist_name: str | None
    to_therapist_id: str
    to_therapist_name: str
    moved_from: dt.datetime  # clinic wall-clock time
    appointments_moved: tuple[str, ...]  # appointment_table.session_id
    bookings_moved: tuple[str, ...]  # bookings.booking_id
    notes_shared: bool
    capacity_overridden: bool


@dataclass(frozen=True)
class PlannedMove:
    """One line of a caseload preview: who goes where and what moves with them."""

    client_id: str
    client_name: str
    to_therapist_id: str
    to_therapist_name: str
    appointments: int  # appointments from the effective date on
    bookings: int  # bookings from the effective date on
    active: bool  # has a session still to come: counts against the new therapist's capacity


@dataclass(frozen=True)
class TargetLoad:
    """A receiving therapist's capacity before and after the planned transfer."""

    therapist_id: str
    name: str
    capacity: int
    active_before: int
    active_after: int
    clients_received: int

    @property
    def over_capacity(self) -> bool:
        return self.active_after > self.capacity


@dataclass(frozen=True)
class CaseloadPreview:
    """Who goes where if a therapist's whole caseload is transferred; nothing has changed yet."""

    from_therapist_id: str
    from_therapist_name: str
    effective_date: dt.date | None  # None: from now on
    moved_from: dt.datetime
    moves: tuple[PlannedMove, ...]
    targets: tuple[TargetLoad, ...]

    @property
    def over_capacity(self) -> tuple[TargetLoad, ...]:
        return tuple(target for target in self.targets if target.over_capacity)

    @property
    def appointments(self) -> int:
        return sum(move.appointments for move in self.moves)

    @property
    def bookings(self) -> int:
        return sum(move.bookings for move in self.moves)


@dataclass(frozen=True)
class CaseloadTransferResult:
    changes: ClassVar[Changes] = Changes.of(
        Area.CLIENTS, Area.APPOINTMENTS, Area.BOOKINGS, Area.THERAPISTS
    )

    from_therapist_id: str
    from_therapist_name: str
    moved_from: dt.datetime
    transfers: tuple[TransferResult, ...]

    @property
    def appointments_moved(self) -> int:
        return sum(len(t.appointments_moved) for t in self.transfers)

    @property
    def bookings_moved(self) -> int:
        return sum(len(t.bookings_moved) for t in self.transfers)
