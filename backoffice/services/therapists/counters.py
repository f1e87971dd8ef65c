"""The counters the clinic caches per therapist (`therapists.sessions_booked`, the dashboard stats),
computed from the bookings themselves: compared by the consistency check, refreshed after a transfer.

Internal to the therapist and transfer workflows (callers check permissions and audit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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

    @property
    def sessions_booked(self) -> int:
        """`therapists.sessions_booked`: the therapist's bookings that were not cancelled."""
        return self.total - self.cancelled


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
    """Bring `sessions_booked` and the dashboard stats of these therapists up to date."""
    ids = sorted(set(therapist_ids))
    counts = booking_counts(uow, now, ids)
    for therapist_id in ids:
        c = counts.get(therapist_id, Counts())
        uow.session.execute(_SESSIONS_BOOKED, {"t": therapist_id, "n": c.sessions_booked})
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
