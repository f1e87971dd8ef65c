"""The counters the clinic caches per therapist (`therapists.sessions_booked`, the dashboard stats),
computed from the bookings themselves: compared by the consistency check, refreshed after a transfer.

What `sessions_booked` counts is the clinic's to say, not ours (seed 001 does not say; one clinic
counts every booking, the demo those not cancelled): it is written only under the definition an
admin chose (`choose_sessions_booked_definition`, remembered in `backoffice.settings`).
Internal to the therapist and transfer workflows (callers check permissions and audit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from backoffice.db import UnitOfWork


@dataclass(frozen=True)
class Counts:
    """What the bookings say: all, held or to be held, cancelled, no-shows, upcoming."""

    total: int = 0
    held: int = 0
    cancelled: int = 0
    no_shows: int = 0
    upcoming: int = 0


@dataclass(frozen=True)
class CounterDefinition:
    """One meaning a clinic may give `therapists.sessions_booked`."""

    key: str
    description: str  # "every booking", as a sentence says it
    count: Callable[[Counts], int]


SESSIONS_BOOKED_SETTING = "therapists.sessions_booked_counts"
SESSIONS_BOOKED_DEFINITIONS = (
    CounterDefinition("all_bookings", "every booking", lambda c: c.total),
    CounterDefinition(
        "not_cancelled", "every booking not cancelled", lambda c: c.total - c.cancelled
    ),
)
_CHOSEN = sa.text("SELECT value #>> '{}' FROM backoffice.settings WHERE key = :key")


def chosen_definition(uow: UnitOfWork) -> CounterDefinition | None:
    """The meaning an admin chose for `sessions_booked`; None when nobody chose one."""
    key = uow.session.execute(_CHOSEN, {"key": SESSIONS_BOOKED_SETTING}).scalar()
    return next((d for d in SESSIONS_BOOKED_DEFINITIONS if d.key == key), None)


_COUNTS = sa.text("""
SELECT therapist_id,
       count(*) AS total,
       count(*) FILTER (WHERE booking_status IS DISTINCT FROM 'cancelled'
                          AND booking_status IS DISTINCT FROM 'no_show') AS held,
       count(*) FILTER (WHERE booking_status = 'cancelled') AS cancelled,
       count(*) FILTER (WHERE booking_status = 'no_show') AS no_shows,
       count(*) FILTER (WHERE booking_start_at >= :now
                          AND booking_status IN ('confirmed', 'rescheduled')) AS upcoming
FROM public.bookings
WHERE therapist_id IS NOT NULL
  AND (CAST(:ids AS text[]) IS NULL OR therapist_id = ANY(CAST(:ids AS text[])))
GROUP BY therapist_id
""")


def booking_counts(
    uow: UnitOfWork, now: dt.datetime, therapist_ids: Iterable[str] | None = None
) -> dict[str, Counts]:
    """Counts per therapist (every therapist when `therapist_ids` is None); one pass over bookings."""
    ids = None if therapist_ids is None else sorted(set(therapist_ids))
    rows = uow.session.execute(_COUNTS, {"now": now, "ids": ids})
    return {
        row.therapist_id: Counts(row.total, row.held, row.cancelled, row.no_shows, row.upcoming)
        for row in rows
    }


_SESSIONS_BOOKED = sa.text(
    "UPDATE public.therapists SET sessions_booked = :n "
    "WHERE therapist_id = :t AND sessions_booked IS DISTINCT FROM :n"
)
_STATS = sa.text("""
INSERT INTO public.therapist_dashboard_stats AS s (therapist_id, total_sessions,
    confirmed_sessions, cancelled_sessions, no_shows, upcoming_bookings, last_updated)
VALUES (:t, :total, :held, :cancelled, :no_shows, :upcoming, :now)
ON CONFLICT (therapist_id) DO UPDATE SET total_sessions = excluded.total_sessions,
    confirmed_sessions = excluded.confirmed_sessions, cancelled_sessions = excluded.cancelled_sessions,
    no_shows = excluded.no_shows, upcoming_bookings = excluded.upcoming_bookings,
    last_updated = excluded.last_updated
""")


def refresh_counters(uow: UnitOfWork, therapist_ids: Iterable[str], now: dt.datetime) -> None:
    """Bring the dashboard stats of these therapists up to date, and `sessions_booked` when an
    admin chose what it counts (otherwise it is left as the clinic wrote it)."""
    ids = sorted(set(therapist_ids))
    counts = booking_counts(uow, now, ids)
    definition = chosen_definition(uow)
    for therapist_id in ids:
        c = counts.get(therapist_id, Counts())
        if definition is not None:
            uow.session.execute(_SESSIONS_BOOKED, {"t": therapist_id, "n": definition.count(c)})
        uow.session.execute(
            _STATS,
            {
                "t": therapist_id,
                "total": c.total,
                "held": c.held,
                "cancelled": c.cancelled,
                "no_shows": c.no_shows,
                "upcoming": c.upcoming,
                "now": now,
            },
        )
