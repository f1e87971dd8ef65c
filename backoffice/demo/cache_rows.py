"""Row streams of the therapist dashboard caches, kept consistent with the bookings."""

from __future__ import annotations

from collections.abc import Iterator

from backoffice.demo.clinic import Clinic
from backoffice.demo.facts import mode, session_name
from backoffice.demo.plan import DAY, NOW, STATUSES

CACHE_DAYS = 7  # the appointments cache holds the last week and everything to come

STATS_COLUMNS = (
    "id",
    "therapist_id",
    "total_sessions",
    "confirmed_sessions",
    "cancelled_sessions",
    "no_shows",
    "upcoming_bookings",
    "last_updated",
)


def dashboard_stats_rows(clinic: Clinic) -> Iterator[tuple]:
    """Per therapist: all bookings; held or to be held (neither cancelled nor no-show); cancelled;
    no-shows; upcoming (confirmed or rescheduled, not yet started)."""
    for therapist in clinic.therapists:
        total, confirmed, cancelled, no_shows, upcoming = clinic.plan.stats[therapist.index]
        yield (
            therapist.index + 1,
            therapist.therapist_id,
            total,
            confirmed,
            cancelled,
            no_shows,
            upcoming,
            clinic.now,
        )


SUMMARY_COLUMNS = (
    "id",
    "therapist_id",
    "client_name",
    "client_email",
    "client_phone",
    "total_sessions",
    "last_session_date",
    "created_at",
)


def clients_summary_rows(clinic: Clinic) -> Iterator[tuple]:
    """One row per therapist and client they have had bookings with: how many, and the start of
    the last completed session (NULL when none was completed)."""
    at = clinic.clock.at
    for row_id, ((t, c), (count, last)) in enumerate(clinic.plan.pairs.items(), start=1):
        client = clinic.clients[c]
        yield (
            row_id,
            clinic.therapists[t].therapist_id,
            client.name,
            client.email,
            client.phone,
            count,
            None if last is None else at(last),
            clinic.now,
        )


APPOINTMENTS_CACHE_COLUMNS = (
    "id",
    "therapist_id",
    "session_timings",
    "session_name",
    "client_name",
    "contact_info",
    "mode",
    "booking_date",
    "booking_status",
    "created_at",
)


def appointments_cache_rows(clinic: Clinic) -> Iterator[tuple]:
    """Every booking of the last week and to come, as the therapist dashboard lists it."""
    plan, at = clinic.plan, clinic.clock.at
    since = NOW - CACHE_DAYS * DAY
    row_id = 0
    for rank in range(len(plan)):
        start = plan.start[rank]
        if start < since:
            continue
        client = clinic.clients[plan.client[rank]]
        row_id += 1
        yield (
            row_id,
            clinic.therapists[plan.therapist[rank]].therapist_id,
            clinic.clock.session_text(start, clinic.duration(rank)),
            session_name(clinic, rank),
            client.name,
            client.phone,
            mode(clinic, rank),
            at(start),
            STATUSES[plan.status[rank]],
            at(plan.created[rank]),
        )
