"""The writing steps of a client transfer, each on a set of clients going to one therapist: move the
rows from the cutoff on, record the history, share the notes, refresh the therapist dashboard caches.

Internal to `services.transfers` (permission, audit event and commit are the caller's; what the
steps read and lock is in `facts`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.models import Client, ClientTransfer, TherapistClientSummary
from backoffice.services.permissions import Actor
from backoffice.services.transfers.facts import CLIENT_BOOKINGS, ClientFacts, Target


@dataclass
class Moved:
    """Rows that changed hands, per client, and the (old therapist, start, client name) of each."""

    appointments: dict[str, list[str]] = field(default_factory=dict)
    bookings: dict[str, list[str]] = field(default_factory=dict)
    slots: set[tuple[str, dt.datetime, str]] = field(default_factory=set)
    old_therapists: set[str] = field(default_factory=set)


_FUTURE_BOOKINGS = sa.text(f"""
WITH cb AS ({CLIENT_BOOKINGS})
SELECT b.booking_id, cb.client_id, b.therapist_id, b.booking_start_at
FROM public.bookings b JOIN cb ON cb.booking_id = b.booking_id
WHERE b.booking_start_at >= :cutoff AND b.therapist_id IS DISTINCT FROM :to
ORDER BY b.booking_id
FOR NO KEY UPDATE OF b
""")
_FUTURE_APPOINTMENTS = sa.text("""
SELECT session_id, client_id, therapist_id, session_timings FROM public.appointment_table
WHERE client_id = ANY(CAST(:ids AS text[])) AND session_timings >= :cutoff
  AND therapist_id IS DISTINCT FROM :to
ORDER BY session_id
FOR NO KEY UPDATE
""")
_MOVE_APPOINTMENTS = sa.text(
    "UPDATE public.appointment_table SET therapist_id = :to, therapist_name = :name "
    "WHERE session_id = ANY(CAST(:ids AS text[]))"
)
_MOVE_BOOKINGS = sa.text(
    "UPDATE public.bookings SET therapist_id = :to, booking_host_user_id = :host, "
    "booking_host_name = :name, booking_host_email = :email, "
    "booking_host_phone = :phone WHERE booking_id = ANY(CAST(:ids AS text[]))"
)


def move_rows(
    uow: UnitOfWork, clients: list[ClientFacts], target: Target, cutoff: dt.datetime
) -> Moved:
    """Give the target every appointment and booking of these clients from `cutoff` on (locked
    first); earlier rows stay with whoever held them. Then reassign the clients themselves."""
    moved = _lock_future_rows(uow, clients, target, cutoff)
    appointment_ids = [s for sessions in moved.appointments.values() for s in sessions]
    booking_ids = [b for bookings in moved.bookings.values() for b in bookings]
    uow.session.execute(
        _MOVE_APPOINTMENTS,
        {"to": target.therapist_id, "name": target.name, "ids": appointment_ids},
    )
    uow.session.execute(_MOVE_BOOKINGS, {**_host_of(target), "ids": booking_ids})
    uow.session.execute(
        sa.update(Client)
        .where(Client.client_id.in_([c.client_id for c in clients]))
        .values(therapist_id=target.therapist_id, assigned_therapist=target.name)
        .execution_options(synchronize_session=False)
    )
    moved.old_therapists.update(c.therapist_id for c in clients if c.therapist_id)
    return moved


def _lock_future_rows(
    uow: UnitOfWork, clients: list[ClientFacts], target: Target, cutoff: dt.datetime
) -> Moved:
    """Lock the clients' appointments and bookings from `cutoff` on that the target does not hold
    yet, and note whose they were."""
    names = {c.client_id: c.name for c in clients}
    params = {"ids": list(names), "cutoff": cutoff, "to": target.therapist_id}
    moved = Moved()
    for row in uow.session.execute(_FUTURE_APPOINTMENTS, params):
        moved.appointments.setdefault(row.client_id, []).append(row.session_id)
        _slot(moved, row.therapist_id, row.session_timings, names[row.client_id])
    for row in uow.session.execute(_FUTURE_BOOKINGS, params):
        moved.bookings.setdefault(row.client_id, []).append(row.booking_id)
        _slot(moved, row.therapist_id, row.booking_start_at, names[row.client_id])
    return moved


def _host_of(target: Target) -> dict[str, str | None]:
    """The booking host columns naming the target (the host's user id is the therapist id)."""
    return {
        "to": target.therapist_id,
        "host": target.therapist_id,
        "name": target.name,
        "email": target.email,
        "phone": target.phone,
    }


def _slot(moved: Moved, therapist_id: str | None, start: dt.datetime | None, name: str) -> None:
    if therapist_id is not None and start is not None:
        moved.slots.add((therapist_id, start, name))
        moved.old_therapists.add(therapist_id)


def record_transfer(
    uow: UnitOfWork,
    actor: Actor,
    client: ClientFacts,
    from_name: str | None,
    target: Target,
    *,
    reason: str,
    note: str | None,
    now: dt.datetime,
) -> int:
    """The `client_transfer_history` row, with the admin's user id and name."""
    statement = (
        sa.insert(ClientTransfer)
        .values(
            client_name=client.name,
            client_email=client.email,
            client_phone=client.phone,
            from_therapist_id=client.therapist_id,
            from_therapist_name=from_name,
            to_therapist_id=target.therapist_id,
            to_therapist_name=target.name,
            transferred_by_admin_id=actor.user_id,
            transferred_by_admin_name=actor.display_name,
            transfer_date=now,
            reason=reason,
            notes=note,
        )
        .returning(ClientTransfer.transfer_id)
    )
    return int(uow.session.execute(statement).scalar_one())


def share_notes(uow: UnitOfWork, client_ids: Iterable[str], therapist_id: str) -> None:
    """Let the new therapist read the clients' earlier notes (row-level security reads this)."""
    rows = [{"c": client_id, "t": therapist_id} for client_id in client_ids]
    if rows:
        uow.session.execute(
            sa.text(
                "INSERT INTO backoffice.shared_note_access (client_id, therapist_id) "
                "VALUES (:c, :t) ON CONFLICT (client_id, therapist_id) DO NOTHING"
            ),
            rows,
        )


_MOVE_CACHE = sa.text("""
UPDATE public.therapist_appointments_cache c SET therapist_id = :to
FROM unnest(CAST(:olds AS text[]), CAST(:starts AS timestamp[]), CAST(:names AS text[]))
     AS m(old_id, start_at, client_name)
WHERE c.therapist_id = m.old_id AND c.booking_date = m.start_at AND c.client_name = m.client_name
""")
_PAIRS = sa.text(f"""
WITH cb AS ({CLIENT_BOOKINGS})
SELECT b.therapist_id, cb.client_id, count(*) AS sessions,
       max(b.booking_start_at) FILTER (WHERE b.booking_status = 'completed') AS last_completed
FROM public.bookings b JOIN cb ON cb.booking_id = b.booking_id
WHERE b.therapist_id = ANY(CAST(:therapists AS text[]))
GROUP BY b.therapist_id, cb.client_id
""")


def refresh_caches(
    uow: UnitOfWork, clients: list[ClientFacts], target: Target, moved: Moved
) -> None:
    """The appointments cache follows the moved sessions; the clients summary is counted again for
    every (therapist, client) pair the transfer touched (a pair left without sessions goes)."""
    if moved.slots:
        olds, starts, names = zip(*sorted(moved.slots), strict=True)
        uow.session.execute(
            _MOVE_CACHE,
            {
                "to": target.therapist_id,
                "olds": list(olds),
                "starts": list(starts),
                "names": list(names),
            },
        )
    therapists = sorted(moved.old_therapists | {target.therapist_id})
    counted = {
        (row.therapist_id, row.client_id): (int(row.sessions), row.last_completed)
        for row in uow.session.execute(
            _PAIRS, {"ids": [c.client_id for c in clients], "therapists": therapists}
        )
    }
    for client in clients:
        for therapist_id in therapists:
            sessions, last = counted.get((therapist_id, client.client_id), (0, None))
            _write_summary(uow, therapist_id, client, sessions, last)


def _write_summary(
    uow: UnitOfWork, therapist_id: str, client: ClientFacts, sessions: int, last: dt.datetime | None
) -> None:
    s = TherapistClientSummary
    match = sa.and_(
        s.therapist_id == therapist_id,
        s.client_name == client.name,
        s.client_email.is_not_distinct_from(client.email),
    )
    if sessions == 0:
        uow.session.execute(sa.delete(s).where(match).execution_options(synchronize_session=False))
        return
    updated = uow.session.execute(
        sa.update(s)
        .where(match)
        .values(total_sessions=sessions, last_session_date=last)
        .execution_options(synchronize_session=False)
    )
    if updated.rowcount == 0:  # type: ignore[attr-defined]
        uow.session.execute(
            sa.insert(s).values(
                therapist_id=therapist_id,
                client_name=client.name,
                client_email=client.email,
                client_phone=client.phone,
                total_sessions=sessions,
                last_session_date=last,
            )
        )
