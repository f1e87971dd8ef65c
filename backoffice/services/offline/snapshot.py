"""Reading a therapist's caseload for an offline copy, on the server: one read-only REPEATABLE READ
transaction, through the reads and definer functions the chart uses.

1. A first short read names the notes of the caseload (the clients row security leaves the
   therapist, their sessions through `backoffice.client_sessions`).
2. `notes.open_notes(purpose="checkout")` commits one opening batch for all of them, on its own
   connection: one "caseload.checked_out" audit event listing the notes. With no note at all, the
   checkout is put on record by an event of its own.
3. The snapshot transaction, REPEATABLE READ and READ ONLY, has begun before the opening but takes
   its snapshot at its first query, after the opening committed (`read_opened_notes` must see it):
   the notes' content, then the clients, sessions, additional notes, transfer history, the
   clinic's clock and `offline/max_days`, all as of one instant. A note written between step 1
   and the snapshot is not in this batch: it is left out of the copy (counted) until the next sync.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.models.backoffice import Setting
from backoffice.models.clinic_people import Client
from backoffice.services import audit
from backoffice.services.chart import AdditionalNote, ChartClient, TransferRow
from backoffice.services.chart.reads import additional_notes_on, chart_client, transfers_of
from backoffice.services.clock import CLINIC_NOW_SQL
from backoffice.services.notes import ClientSession, NoteDetail, list_client_sessions, open_notes
from backoffice.services.orm_tables import table_of
from backoffice.services.permissions import Actor

MAX_DAYS_KEY = "offline/max_days"
DEFAULT_MAX_DAYS = 14
SNAPSHOT = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
clients = table_of(Client)


@dataclass(frozen=True)
class Snapshot:
    """The caseload as one transaction saw it."""

    actor: Actor
    taken_at: dt.datetime  # the clinic's wall-clock time
    taken_utc: dt.datetime
    max_days: int
    clients: tuple[ChartClient, ...]
    sessions: tuple[ClientSession, ...]
    notes: tuple[NoteDetail, ...]
    additional: tuple[AdditionalNote, ...]
    transfers: tuple[tuple[str, TransferRow], ...]  # (client id, transfer)
    left_out: int

    @property
    def expires_utc(self) -> dt.datetime:
        return self.taken_utc + dt.timedelta(days=self.max_days)


def read_snapshot(units: Callable[[], UnitOfWork], actor: Actor) -> Snapshot:
    """The therapist's caseload, its notes on record first (see the module's docstring)."""
    with units() as first:
        note_ids = _caseload_note_ids(first, actor)
    if not note_ids:
        _record_empty_checkout(units)
    with units() as uow:
        uow.session.connection(execution_options=SNAPSHOT)  # begun, no snapshot taken yet
        notes = open_notes(uow, actor, note_ids=note_ids) if note_ids else ()
        return _snapshot(uow, actor, notes)


def _caseload_people(uow: UnitOfWork, actor: Actor) -> list[ChartClient]:
    query = sa.select(clients).where(clients.c.therapist_id == actor.therapist_id)
    return [chart_client(row) for row in uow.session.execute(query.order_by(clients.c.client_id))]


def _caseload_note_ids(uow: UnitOfWork, actor: Actor) -> list[int]:
    people = _caseload_people(uow, actor)
    sessions = list_client_sessions(uow, actor, client_ids=[p.client_id for p in people])
    return sorted({s.note_id for s in sessions if s.note_id is not None})


def _record_empty_checkout(units: Callable[[], UnitOfWork]) -> None:
    with units() as uow:
        audit.record(
            uow,
            "caseload.checked_out",
            subject_type="note_opening",
            details={"purpose": "checkout", "notes": 0, "note_ids": []},
        )
        uow.commit()


def _snapshot(uow: UnitOfWork, actor: Actor, notes: tuple[NoteDetail, ...]) -> Snapshot:
    clock = uow.session.execute(sa.text(f"SELECT now() AS utc, {CLINIC_NOW_SQL} AS clinic")).one()
    people = _caseload_people(uow, actor)
    sessions = list_client_sessions(uow, actor, client_ids=[p.client_id for p in people])
    written = additional_notes_on(uow, actor, [s.booking_id for s in sessions])
    read = {n.note_id for n in notes}
    return Snapshot(
        actor=actor,
        taken_at=clock.clinic,
        taken_utc=clock.utc.astimezone(dt.UTC),
        max_days=max_days(uow),
        clients=tuple(people),
        sessions=sessions,
        notes=notes,
        additional=tuple(n for group in written.values() for n in group),
        transfers=tuple(
            (p.client_id, move)
            for p in people
            for move in transfers_of(uow, p.client_name, p.email)
        ),
        left_out=len({s.note_id for s in sessions if s.note_id is not None} - read),
    )


def max_days(uow: UnitOfWork) -> int:
    """How long a copy may be read offline (`offline/max_days`; 14 when unset or not a whole
    number of days from 1 to 365)."""
    value: Any = uow.session.execute(
        sa.select(Setting.value).where(Setting.key == MAX_DAYS_KEY)
    ).scalar()
    try:
        days = int(str(value))
    except ValueError:
        return DEFAULT_MAX_DAYS
    return days if 1 <= days <= 365 else DEFAULT_MAX_DAYS
