"""What a transfer reads: the clients (locked when they will change), the receiving therapist as the
bookings name their host, and how many sessions would move.

Internal to `services.transfers`. A client's sessions are found both ways the clinic records them:
bookings by `invitee_id`, appointments by `client_id` (whose `session_id` is the booking's id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.models import Client
from backoffice.services.therapists import records


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


def target_of(uow: UnitOfWork, therapist_id: str, name: str) -> Target:
    """The receiving therapist as the bookings name their host: the email every table should say,
    the phone from their own bookings (else from their approved application)."""
    fields = records.truth_fields(uow, therapist_id)
    params = {"t": therapist_id}
    phone = uow.session.execute(_PHONE, params).scalar_one_or_none()
    phone = phone or uow.session.execute(_APPLICATION_PHONE, params).scalar_one_or_none()
    return Target(therapist_id, name, fields.email if fields else None, phone)


# Every booking id of the clients `:ids`, with the client it belongs to.
CLIENT_BOOKINGS = """
    SELECT b.booking_id, b.invitee_id AS client_id FROM public.bookings b
    WHERE b.invitee_id = ANY(CAST(:ids AS text[])) AND b.booking_id IS NOT NULL
    UNION
    SELECT a.session_id, a.client_id FROM public.appointment_table a
    WHERE a.client_id = ANY(CAST(:ids AS text[]))
"""
_FUTURE_COUNTS = sa.text(f"""
WITH cb AS ({CLIENT_BOOKINGS})
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
