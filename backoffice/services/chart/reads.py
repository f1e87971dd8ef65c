"""One client's chart: who they are, their transfers, their sessions on a timeline (shared history
included where the database allows it) and the additional notes written on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import NotFound, ValidationError
from backoffice.models.clinic_notes import AdditionalNote as AdditionalNoteRow
from backoffice.models.clinic_notes import ClientTransfer, SessionNote
from backoffice.models.clinic_people import Client
from backoffice.services.chart.types import (
    AdditionalNote,
    ChartClient,
    ChartEntry,
    ClientChart,
    TransferRow,
)
from backoffice.services.clock import clinic_now
from backoffice.services.notes import ClientSession, list_client_sessions
from backoffice.services.orm_tables import table_of
from backoffice.services.permissions import Actor, Permission, require

clients = table_of(Client)
transfers = table_of(ClientTransfer)
additional = table_of(AdditionalNoteRow)
notes = table_of(SessionNote)

_CLIENT_OF_BOOKING = sa.text("SELECT backoffice.client_of_booking(:booking_id)")


def get_chart(
    uow: UnitOfWork,
    actor: Actor,
    *,
    client_id: str | None = None,
    booking_id: str | None = None,
    note_id: int | None = None,
) -> ClientChart:
    """A client's chart, named by the client, or by one of their sessions or notes (the chart
    then focuses on that session).

    Permission: OPEN_CHARTS (the database narrows a therapist to their caseload and the histories
    shared with them). Read only: note content is read through `notes.open_note`, which records it.
    Raises PermissionDenied, ValidationError (nothing named), NotFound (nothing this login may see).
    """
    require(actor, Permission.OPEN_CHARTS)
    if note_id is not None:
        booking_id = _booking_of_note(uow, note_id)
    if booking_id is not None:
        client_id = _client_of_booking(uow, booking_id)
    if not client_id:
        raise ValidationError("Name a client, a session or a note to open a chart.")
    sessions = list_client_sessions(uow, actor, client_ids=[client_id])
    row = uow.session.execute(sa.select(clients).where(clients.c.client_id == client_id)).first()
    if row is None and not sessions:
        raise NotFound(f"There is no client {client_id} whose chart you may open.")
    client = chart_client(row) if row is not None else None
    return assemble_chart(
        actor,
        client_id,
        client,
        sessions,
        written=additional_notes_on(uow, actor, [s.booking_id for s in sessions]),
        moves=_transfers_of_client(uow, client, sessions),
        now=clinic_now(uow),
        focus=booking_id,
    )


def _transfers_of_client(
    uow: UnitOfWork, client: ChartClient | None, sessions: Sequence[ClientSession]
) -> tuple[TransferRow, ...]:
    if client is None:
        return transfers_of(uow, _named(sessions), None)
    return transfers_of(uow, client.client_name, client.email)


def chart_client(row: Any) -> ChartClient:
    """A row of `all_clients_table` as the chart shows it."""
    return ChartClient(
        row.client_id,
        row.client_name,
        row.phone_number,
        row.email_id,
        row.therapist_id,
        row.assigned_therapist,
    )


def _booking_of_note(uow: UnitOfWork, note_id: int) -> str:
    query = sa.select(notes.c.booking_id).where(notes.c.note_id == note_id)
    booking_id = uow.session.execute(query).scalar()
    if booking_id is None:
        raise NotFound(f"There is no session note {note_id} with a session that you may see.")
    return str(booking_id)


def _client_of_booking(uow: UnitOfWork, booking_id: str) -> str:
    found = uow.session.execute(_CLIENT_OF_BOOKING, {"booking_id": booking_id}).scalar()
    if found is None:
        raise NotFound(f"There is no session {booking_id} of a client that you may see.")
    return str(found)


def assemble_chart(
    actor: Actor,
    client_id: str,
    client: ChartClient | None,
    sessions: Sequence[ClientSession],
    *,
    written: Mapping[str, tuple[AdditionalNote, ...]],
    moves: tuple[TransferRow, ...],
    now: dt.datetime,
    focus: str | None,
) -> ClientChart:
    """A chart from what was read (online, or from an offline copy): upcoming and past as of `now`,
    whatever order the sessions came in (an offline copy's table keeps none)."""
    sessions = sorted(sessions, key=_oldest_first)
    entries = [_entry(s, now, actor, written.get(s.booking_id, ())) for s in sessions]
    therapist_id = client.therapist_id if client is not None else None
    return ClientChart(
        client_id=client_id,
        client_name=client.client_name if client is not None else _named(sessions),
        phone=client.phone if client is not None else None,
        email=client.email if client is not None else None,
        therapist_id=therapist_id,
        therapist_name=client.therapist_name if client is not None else None,
        with_therapist_since=_since(therapist_id, moves, sessions),
        transfers=moves,
        upcoming=tuple(e for e in entries if e.upcoming),
        past=tuple(reversed([e for e in entries if not e.upcoming])),
        as_of=now,
        focus_booking_id=focus,
        may_write=actor.may(Permission.WRITE_ADDITIONAL_NOTES),
    )


def _oldest_first(session: ClientSession) -> tuple[bool, dt.datetime, str]:
    return (session.starts_at is None, session.starts_at or dt.datetime.max, session.booking_id)


def _named(sessions: Sequence[ClientSession]) -> str | None:
    return next((s.client_name for s in reversed(sessions) if s.client_name), None)


def _entry(
    session: ClientSession, now: dt.datetime, actor: Actor, written: tuple[AdditionalNote, ...]
) -> ChartEntry:
    upcoming = session.starts_at is not None and session.starts_at >= now
    previous = actor.therapist_id is not None and session.therapist_id != actor.therapist_id
    return ChartEntry(session, upcoming, previous, written)


def additional_notes_on(
    uow: UnitOfWork, actor: Actor, booking_ids: list[str]
) -> dict[str, tuple[AdditionalNote, ...]]:
    """The additional notes on these sessions, oldest first (row security narrows a therapist)."""
    if not booking_ids:
        return {}
    rows = uow.session.execute(
        sa.select(additional)
        .where(additional.c.booking_id.in_(booking_ids))
        .order_by(additional.c.created_at, additional.c.note_id)
    )
    found: dict[str, list[AdditionalNote]] = {}
    for r in rows:
        mine = actor.therapist_id is not None and r.therapist_id == actor.therapist_id
        note = AdditionalNote(
            r.note_id,
            r.booking_id,
            r.therapist_id,
            r.therapist_name,
            r.note_text,
            r.created_at,
            mine,
        )
        found.setdefault(r.booking_id, []).append(note)
    return {booking: tuple(notes) for booking, notes in found.items()}


def transfers_of(uow: UnitOfWork, name: str | None, email: str | None) -> tuple[TransferRow, ...]:
    """The client's transfers, oldest first. The history names clients, not ids: the name, and the
    email where both rows have one."""
    if name is None:
        return ()
    query = sa.select(transfers).where(transfers.c.client_name == name)
    if email:
        query = query.where(
            sa.or_(transfers.c.client_email.is_(None), transfers.c.client_email == email)
        )
    rows = uow.session.execute(query.order_by(transfers.c.transfer_date, transfers.c.transfer_id))
    return tuple(
        TransferRow(
            r.transfer_id,
            r.transfer_date,
            r.from_therapist_id,
            r.from_therapist_name,
            r.to_therapist_id,
            r.to_therapist_name,
            r.reason,
        )
        for r in rows
    )


def _since(
    therapist_id: str | None, moves: Sequence[TransferRow], sessions: Sequence[ClientSession]
) -> dt.datetime | None:
    """With the current therapist since the latest transfer to them or their first session
    together after they last handed the client on, whichever came first (a transfer may be
    backdated)."""
    if therapist_id is None:
        return None
    left = max(
        (
            m.transferred_at
            for m in moves
            if m.from_therapist_id == therapist_id and m.transferred_at
        ),
        default=None,
    )
    first = min(
        (
            s.starts_at
            for s in sessions
            if s.therapist_id == therapist_id
            and s.starts_at
            and (left is None or s.starts_at > left)
        ),
        default=None,
    )
    arrived = [
        m.transferred_at for m in moves if m.to_therapist_id == therapist_id and m.transferred_at
    ]
    return min(
        (t for t in (arrived[-1] if arrived else None, first) if t is not None), default=None
    )
