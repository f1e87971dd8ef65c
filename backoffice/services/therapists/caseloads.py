"""Shared reads of the therapist and transfer workflows: who is active, caseloads and capacity.

Internal to `services.therapists` and `services.transfers` (no permission check here: callers check).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import NotFound
from backoffice.services.clock import clinic_now
from backoffice.services.therapists.types import TherapistRow

_STATUS = sa.text(
    "SELECT DISTINCT ON (therapist_id) therapist_id, is_active "
    "FROM backoffice.therapist_status_changes WHERE therapist_id = ANY(:ids) "
    "ORDER BY therapist_id, id DESC"
)


def inactive_among(uow: UnitOfWork, therapist_ids: Iterable[str]) -> set[str]:
    """Which of these therapists are deactivated (no status row means active)."""
    ids = list(therapist_ids)
    if not ids:
        return set()
    rows = uow.session.execute(_STATUS, {"ids": ids})
    return {row.therapist_id for row in rows if not row.is_active}


# Clients with a session still to come: a booking not cancelled, or an appointment whose booking
# (if any) is not cancelled. Bookings name the client by invitee_id; appointments by client_id.
_FUTURE_CLIENTS = """
    SELECT b.invitee_id AS client_id FROM public.bookings b
    WHERE b.booking_start_at >= :now AND b.booking_status IS DISTINCT FROM 'cancelled'
    UNION
    SELECT a.client_id FROM public.appointment_table a
    LEFT JOIN public.bookings b ON b.booking_id = a.session_id
    WHERE a.session_timings >= :now AND b.booking_status IS DISTINCT FROM 'cancelled'
"""

_THERAPISTS = sa.text(f"""
WITH future AS ({_FUTURE_CLIENTS}),
load AS (
    SELECT c.therapist_id, count(*) AS clients, count(f.client_id) AS active
    FROM public.all_clients_table c LEFT JOIN future f ON f.client_id = c.client_id
    WHERE c.therapist_id IS NOT NULL GROUP BY c.therapist_id
)
SELECT t.therapist_id, t.name, t.contact_info, coalesce(t.capacity, 0) AS capacity,
       coalesce(l.clients, 0) AS clients, coalesce(l.active, 0) AS active,
       r.expires_on, coalesce(r.expires_on < CAST(:now AS date), false) AS expired
FROM public.therapists t LEFT JOIN load l ON l.therapist_id = t.therapist_id
LEFT JOIN backoffice.therapist_registrations r
  ON r.therapist_id = t.therapist_id AND r.is_current
WHERE (CAST(:ids AS text[]) IS NULL OR t.therapist_id = ANY(CAST(:ids AS text[])))
  AND (CAST(:search AS text) IS NULL OR t.name ILIKE :search OR t.therapist_id = :exact
       OR t.contact_info ILIKE :search)
ORDER BY t.name, t.therapist_id
""")


def therapist_rows(
    uow: UnitOfWork, *, ids: Iterable[str] | None = None, search: str | None = None
) -> list[TherapistRow]:
    """Therapists with their caseload: all assigned clients, and those with sessions to come."""
    wanted = None if ids is None else list(ids)
    pattern = f"%{search.strip()}%" if search and search.strip() else None
    rows = uow.session.execute(
        _THERAPISTS,
        {
            "now": clinic_now(uow),
            "ids": wanted,
            "search": pattern,
            "exact": search.strip() if search else None,
        },
    ).all()
    inactive = inactive_among(uow, [row.therapist_id for row in rows])
    return [
        TherapistRow(
            therapist_id=row.therapist_id,
            name=row.name,
            email=row.contact_info,
            capacity=int(row.capacity),
            clients=int(row.clients),
            active_clients=int(row.active),
            is_active=row.therapist_id not in inactive,
            registration_expires_on=row.expires_on,
            registration_expired=bool(row.expired),
        )
        for row in rows
    ]


def therapist_row(uow: UnitOfWork, therapist_id: str) -> TherapistRow:
    """One therapist with their caseload; raises NotFound."""
    rows = therapist_rows(uow, ids=[therapist_id])
    if not rows:
        raise NotFound(f"There is no therapist with the id {therapist_id}.")
    return rows[0]


_ACTIVE_CLIENTS = sa.text(
    f"WITH future AS ({_FUTURE_CLIENTS}) SELECT client_id FROM future WHERE client_id = ANY(:ids)"
)


def active_clients_among(uow: UnitOfWork, client_ids: Iterable[str], now: dt.datetime) -> set[str]:
    """Which of these clients have a session still to come."""
    ids = list(client_ids)
    if not ids:
        return set()
    return set(uow.session.scalars(_ACTIVE_CLIENTS, {"ids": ids, "now": now}))
