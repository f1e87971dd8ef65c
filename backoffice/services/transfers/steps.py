"""The steps of a client transfer, each on a set of clients going to one therapist: lock, move the
rows from the cutoff on, record the history, refresh the therapist dashboard caches.

Internal to `services.transfers` (permission, audit event and commit are the caller's). A client's
sessions are found both ways the clinic records them: bookings by `invitee_id`, appointments by
`client_id` (whose `session_id` is the booking's id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.models import Client, ClientTransfer, TherapistClientSummary
from backoffice.services.permissions import Actor


@dataclass(frozen=True)
class ClientFacts:
    client_id: str
    name: str
    email: str | None
    phone: str | None
    therapist_id: str | None


@dataclass(frozen=True)
class Target:
    therapist_id: str
    name: str
    email: str | None
    phone: str | None


@dataclass
class Moved:
    """Rows that changed hands, per client, and the (old therapist, start, client name) of each."""

    appointments: dict[str, list[str]] = field(default_factory=dict)
    bookings: dict[str, list[str]] = field(default_factory=dict)
    slots: set[tuple[str, dt.datetime, str]] = field(default_factory=set)
    old_therapists: set[str] = field(default_factory=set)


_C = Client


def _client_select() -> Any:
    return sa.select(_C.client_id, _C.client_name, _C.email_id, _C.phone_number, _C.therapist_id)


def _facts(row: Any) -> ClientFacts:
    return ClientFacts(row[0], row[1] or row[0], row[2], row[3], row[4])


def read_clients(uow: UnitOfWork, client_ids: Iterable[str]) -> dict[str, ClientFacts]:
    rows = uow.session.execute(_client_select().where(_C.client_id.in_(list(client_ids))))
    return {row[0]: _facts(row) for row in rows}


def lock_clients(uow: UnitOfWork, client_ids: Iterable[str]) -> dict[str, ClientFacts]:
    """Lock the clients' rows in id order and read them as they are now (after any wait)."""
    statement = (
        _client_select()
        .where(_C.client_id.in_(sorted(set(client_ids))))
        .order_by(_C.client_id)
        .with_for_update(key_share=True)
    )
    return {row[0]: _facts(row) for row in uow.session.execute(statement)}


def lock_caseload(uow: UnitOfWork, therapist_id: str) -> dict[str, ClientFacts]:
    statement = (
        _client_select()
        .where(_C.therapist_id == therapist_id)
        .order_by(_C.client_id)
        .with_for_update(key_share=True)
    )
    return {row[0]: _facts(row) for row in uow.session.execute(statement)}


def caseload_of(uow: UnitOfWork, therapist_id: str) -> list[ClientFacts]:
    statement = _client_select().where(_C.therapist_id == therapist_id)
    rows = uow.session.execute(statement.order_by(_C.client_name, _C.client_id))
    return [_facts(row) for row in rows]


_PHONE = sa.text(
    "SELECT booking_host_phone FROM public.bookings WHERE therapist_id = :t "
    "AND booking_host_phone IS NOT NULL ORDER BY booking_start_at DESC NULLS LAST LIMIT 1"
)
_APPLICATION_PHONE = sa.text(
    "SELECT phone FROM backoffice.therapist_applications WHERE therapist_id = :t "
    "AND state = 'approved' AND phone IS NOT NULL ORDER BY decided_at DESC NULLS LAST LIMIT 1"
)


def target_of(uow: UnitOfWork, therapist_id: str, name: str, email: str | None) -> Target:
    """The receiving therapist as the bookings name their host (phone from their own bookings)."""
    params = {"t": therapist_id}
    phone = uow.session.execute(_PHONE, params).scalar_one_or_none()
    phone = phone or uow.session.execute(_APPLICATION_PHONE, params).scalar_one_or_none()
    return Target(therapist_id, name, email, phone)


_CLIENT_BOOKINGS = """
    SELECT b.booking_id, b.invitee_id AS client_id FROM public.bookings b
    WHERE b.invitee_id = ANY(CAST(:ids AS text[])) AND b.booking_id IS NOT NULL
    UNION
    SELECT a.session_id, a.client_id FROM public.appointment_table a
    WHERE a.client_id = ANY(CAST(:ids AS text[]))
"""
_FUTURE_BOOKINGS = sa.text(f"""
WITH cb AS ({_CLIENT_BOOKINGS})
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


def move_rows(
    uow: UnitOfWork, clients: list[ClientFacts], target: Target, cutoff: dt.datetime
) -> Moved:
    """Give the target every appointment and booking of these clients from `cutoff` on (locked
    first); earlier rows stay with whoever held them. Then reassign the clients themselves."""
    db, ids, names = (
        uow.session,
        [c.client_id for c in clients],
        {c.client_id: c.name for c in clients},
    )
    params = {"ids": ids, "cutoff": cutoff, "to": target.therapist_id}
    moved = Moved()
    for row in db.execute(_FUTURE_APPOINTMENTS, params):
        moved.appointments.setdefault(row.client_id, []).append(row.session_id)
        _slot(moved, row.therapist_id, row.session_timings, names[row.client_id])
    for row in db.execute(_FUTURE_BOOKINGS, params):
        moved.bookings.setdefault(row.client_id, []).append(row.booking_id)
        _slot(moved, row.therapist_id, row.booking_start_at, names[row.client_id])
    appointment_ids = [s for sessions in moved.appointments.values() for s in sessions]
    booking_ids = [b for bookings in moved.bookings.values() for b in bookings]
    db.execute(
        sa.text(
            "UPDATE public.appointment_table SET therapist_id = :to, therapist_name = :name "
            "WHERE session_id = ANY(CAST(:ids AS text[]))"
        ),
        {"to": target.therapist_id, "name": target.name, "ids": appointment_ids},
    )
    db.execute(
        sa.text(
            "UPDATE public.bookings SET therapist_id = :to, booking_host_user_id = :host, "
            "booking_host_name = :name, booking_host_email = :email, "
            "booking_host_phone = :phone WHERE booking_id = ANY(CAST(:ids AS text[]))"
        ),
        {
            "to": target.therapist_id,
            "host": target.therapist_id,
            "name": target.name,
            "email": target.email,
            "phone": target.phone,
            "ids": booking_ids,
        },
    )
    db.execute(
        sa.update(Client)
        .where(Client.client_id.in_(ids))
        .values(therapist_id=target.therapist_id, assigned_therapist=target.name)
        .execution_options(synchronize_session=False)
    )
    moved.old_therapists.update(c.therapist_id for c in clients if c.therapist_id)
    return moved


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
WITH cb AS ({_CLIENT_BOOKINGS})
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


_FUTURE_COUNTS = sa.text(f"""
WITH cb AS ({_CLIENT_BOOKINGS})
SELECT cb.client_id, 'booking' AS kind, count(*) AS n
FROM public.bookings b JOIN cb ON cb.booking_id = b.booking_id
WHERE b.booking_start_at >= :cutoff GROUP BY cb.client_id
UNION ALL
SELECT client_id, 'appointment', count(*) FROM public.appointment_table
WHERE client_id = ANY(CAST(:ids AS text[])) AND session_timings >= :cutoff GROUP BY client_id
""")


def future_counts(
    uow: UnitOfWork, client_ids: Iterable[str], cutoff: dt.datetime
) -> dict[str, tuple[int, int]]:
    """Per client: (appointments, bookings) from `cutoff` on, what a transfer would move."""
    counts: dict[str, list[int]] = {}
    for row in uow.session.execute(_FUTURE_COUNTS, {"ids": list(client_ids), "cutoff": cutoff}):
        counts.setdefault(row.client_id, [0, 0])[0 if row.kind == "appointment" else 1] = int(row.n)
    return {client_id: (pair[0], pair[1]) for client_id, pair in counts.items()}
