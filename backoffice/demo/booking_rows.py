"""The row stream of `bookings`, the widest table (52 columns, no primary key)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from backoffice.demo import vocab
from backoffice.demo.clinic import Clinic
from backoffice.demo.facts import (
    booking_refund,
    cancellation,
    payment_reference,
    session_name,
)
from backoffice.demo.people import Client
from backoffice.demo.plan import (
    CANCELLED,
    COMPLETED,
    DAY,
    FIRST,
    MOVED,
    NO_SHOW,
    NOW,
    ONLINE,
    RESCHEDULED,
    STATUSES,
)
from backoffice.demo.rand import clock, mix, stream_rng, token

BOOKING_COLUMNS = (
    "invitee_id",
    "invitee_name",
    "invitee_phone",
    "invitee_email",
    "invitee_question",
    "invitee_token",
    "invitee_country",
    "invitee_city",
    "invitee_timezone",
    "invitee_created_at",
    "invitee_cancelled_at",
    "invitee_cancelled_reason",
    "invitee_status",
    "invitee_payment_reference_id",
    "invitee_payment_gateway",
    "invitee_payment_name",
    "invitee_payment_currency",
    "invitee_payment_amount",
    "booking_user_id",
    "booking_updated_at",
    "booking_subject",
    "booking_status",
    "booking_resource_id",
    "booking_resource_type",
    "booking_resource_name",
    "booking_checkin_url",
    "booking_mode",
    "booking_joining_link",
    "booking_invitee_time",
    "booking_host_user_id",
    "booking_host_name",
    "booking_host_phone",
    "booking_host_email",
    "booking_start_at",
    "booking_end_at",
    "booking_duration",
    "booking_cancelled_by",
    "booking_cancel_reason",
    "booking_id",
    "booking_account_id",
    "refund_amount",
    "refund_status",
    "refund_failed_time",
    "rescheduled_at",
    "rescheduled_start_at",
    "rescheduled_end_at",
    "recheduled_from",
    "emergency_contact_name",
    "emergency_contact_relation",
    "emergency_contact_number",
    "therapist_id",
    "refund_id",
)
ACCOUNT_ID = "acct_safestories_in"


def booking_rows(clinic: Clinic) -> Iterator[tuple]:
    rng = stream_rng(clinic.seed, "bookings")
    plan, at, seed = clinic.plan, clinic.clock.at, clinic.seed
    for rank in range(len(plan)):
        client = clinic.clients[plan.client[rank]]
        therapist = clinic.therapists[plan.therapist[rank]]
        start, status, flags = plan.start[rank], plan.status[rank], plan.flags[rank]
        duration = clinic.duration(rank)
        booking_id = clinic.booking_id(rank)
        created = at(plan.created[rank])
        cancelled_at = cancelled_by = reason = None
        if status == CANCELLED:
            cancelled_at, cancelled_by, reason = cancellation(clinic, rank)
        moved_at = moved_from = None
        if status == RESCHEDULED or flags & MOVED:
            moved_minute = (
                plan.created[rank]
                + 1
                + mix(seed, rank, 15) % max(1, min(start, NOW) - plan.created[rank] - 1)
            )
            moved_at = at(moved_minute)
            moved_from = at(start - (1 + mix(seed, rank, 16) % 6) * DAY)
        refund = booking_refund(clinic, rank)
        updated = _updated_at(
            clinic, rank, created, cancelled_at, moved_at, refund.failed or refund.initiated
        )
        emergency = client.emergency or (None, None, None)
        subject = session_name(clinic, rank)
        online = bool(flags & ONLINE)
        yield (
            client.client_id,
            client.name,
            client.phone,
            client.email,
            rng.choice(vocab.QUESTIONS) if flags & FIRST else None,
            token(seed, rank, 7, 32).lower(),
            client.country,
            client.city,
            client.timezone,
            created,
            cancelled_at,
            reason if cancelled_by == "invitee" else None,
            "cancelled" if status == CANCELLED else "active",
            payment_reference(clinic, rank, client.gateway),
            client.gateway,
            client.name,
            client.currency,
            clinic.amount(rank),
            client.client_id,
            updated,
            f"{subject} with {therapist.name}",
            STATUSES[status],
            f"evt_{therapist.therapist_id}_{'couples' if client.couples else 'individual'}",
            "event_type",
            f"{subject} ({duration} min)",
            f"https://safestories.in/checkin/{booking_id}",
            "online" if online else "in-person",
            _meet_link(seed, rank) if online else "SafeStories studio, Indiranagar, Bengaluru",
            _invitee_time(clinic, client, start, duration),
            therapist.therapist_id,
            therapist.name,
            therapist.phone,
            therapist.email,
            at(start),
            at(start + duration),
            duration,
            cancelled_by,
            reason,
            booking_id,
            ACCOUNT_ID,
            refund.amount,
            refund.status,
            refund.failed,
            moved_at,
            at(start) if moved_at else None,
            at(start + duration) if moved_at else None,
            moved_from,
            emergency[0],
            emergency[1],
            emergency[2],
            therapist.therapist_id,
            refund.refund_id,
        )


def _meet_link(seed: int, rank: int) -> str:
    code = token(seed, rank, 8, 10).lower()
    return f"https://meet.google.com/{code[:3]}-{code[3:7]}-{code[7:]}"


def _invitee_time(clinic: Clinic, client: Client, start: int, duration: int) -> str:
    """The slot as the client saw it, in their own (standard) time."""
    shift = vocab.TZ_OFFSETS[client.timezone] - vocab.IST_OFFSET
    local = start + shift
    day = clinic.clock.at(local)
    return (
        f"{day.date().isoformat()} {clock(local)} - {clock(local + duration)} ({client.timezone})"
    )


def _updated_at(
    clinic: Clinic,
    rank: int,
    created: dt.datetime,
    *changes: dt.datetime | None,
) -> dt.datetime:
    plan = clinic.plan
    latest = max([created, *(c for c in changes if c is not None)])
    if plan.status[rank] in (COMPLETED, NO_SHOW):
        ended = clinic.clock.at(plan.start[rank] + clinic.duration(rank) + 5)
        latest = max(latest, ended)
    return latest
