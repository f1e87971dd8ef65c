"""A therapist's caseload: their clients with the next and last session, how many so far, the
latest risk and whether self-harm was ever mentioned, soonest next session first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.models.clinic_people import Client
from backoffice.services.chart.types import CaseloadRow
from backoffice.services.clock import clinic_now
from backoffice.services.notes import list_client_sessions
from backoffice.services.orm_tables import table_of
from backoffice.services.permissions import Actor, Permission, require, require_therapist

clients = table_of(Client)
CANCELLED = "cancelled"


class HeldSession(Protocol):
    """What a caseload row is worked out from: a `ClientSession` online, a lighter row read from
    an offline copy (thousands of them are read each time My caseload is shown)."""

    @property
    def client_id(self) -> str: ...
    @property
    def starts_at(self) -> dt.datetime | None: ...
    @property
    def status(self) -> str | None: ...
    @property
    def note_id(self) -> int | None: ...
    @property
    def risk_level(self) -> str | None: ...
    @property
    def self_harm(self) -> bool: ...
    @property
    def high_risk(self) -> bool: ...
    @property
    def note_due(self) -> bool: ...


def list_caseload(
    uow: UnitOfWork, actor: Actor, *, search: str | None = None
) -> tuple[CaseloadRow, ...]:
    """The therapist's clients, soonest next session first (clients with none after, by name).
    `search` keeps the clients whose name contains it (any case).

    Permission: VIEW_CASELOAD (row security narrows the clients to the therapist's own). Read
    only. Raises PermissionDenied; NotFound for a login linked to no therapist.
    """
    require(actor, Permission.VIEW_CASELOAD)
    therapist_id = require_therapist(actor)
    query = sa.select(clients.c.client_id, clients.c.client_name).where(
        clients.c.therapist_id == therapist_id
    )
    words = (search or "").strip()
    if words:
        query = query.where(clients.c.client_name.icontains(words, autoescape=True))
    people = [(p.client_id, p.client_name) for p in uow.session.execute(query)]
    sessions = list_client_sessions(uow, actor, client_ids=[p[0] for p in people])
    return caseload_rows(people, sessions, clinic_now(uow))


def caseload_rows(
    people: Iterable[tuple[str, str | None]], sessions: Iterable[HeldSession], now: dt.datetime
) -> tuple[CaseloadRow, ...]:
    """The caseload's rows from its clients (id, name) and their sessions, as of `now` (online,
    or from an offline copy), soonest next session first."""
    by_client: dict[str, list[HeldSession]] = {}
    for s in sessions:
        by_client.setdefault(s.client_id, []).append(s)
    rows = [_row(c, name, by_client.get(c, []), now) for c, name in people]
    return tuple(sorted(rows, key=_soonest_first))


def _row(
    client_id: str, name: str | None, sessions: Sequence[HeldSession], now: dt.datetime
) -> CaseloadRow:
    held = [
        s.starts_at
        for s in sessions
        if s.starts_at is not None and (s.status or "").lower() != CANCELLED
    ]
    past = [at for at in held if at < now]
    coming = [at for at in held if at >= now]
    noted = [s for s in sessions if s.note_id is not None]
    latest = max(noted, key=lambda s: (s.starts_at or dt.datetime.min, s.note_id), default=None)
    return CaseloadRow(
        client_id=client_id,
        client_name=name,
        next_session=min(coming, default=None),
        last_session=max(past, default=None),
        sessions_so_far=len(past),
        latest_risk=latest.risk_level if latest else None,
        latest_high_risk=latest.high_risk if latest else False,
        self_harm_ever=any(s.self_harm for s in noted),
        notes_due=sum(s.note_due for s in sessions),
    )


def _soonest_first(row: CaseloadRow) -> tuple[bool, dt.datetime, str]:
    return (row.next_session is None, row.next_session or dt.datetime.max, row.client_name or "")
