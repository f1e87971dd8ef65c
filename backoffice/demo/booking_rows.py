"""The row stream of `bookings`, the widest table (52 columns, no primary key)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from backoffice.demo import vocab
from backoffice.demo.clinic import Clinic
from backoffice.demo.facts import (
    Refund,
    booking_refund,
    cancellation,
    payment_reference,
    session_name,
)
from backoffice.demo.people import Client, Therapist
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


@dataclass(frozen=True, slots=True)
class _Booking:
    """One planned booking and the facts its 52 columns are written from."""

    rank: int
    client: Client
    therapist: Therapist
    start: int
    duration: int
    booking_id: str
    created: dt.datetime
    cancelled_at: dt.datetime | None
    cancelled_by: str | None
    reason: str | None
    moved_at: dt.datetime | None
    moved_from: dt.datetime | None
    refund: Refund

    @property
    def end(self) -> int:
        return self.start + self.duration


def booking_rows(clinic: Clinic) -> Iterator[tuple]:
    rng = stream_rng(clinic.seed, "bookings")
    for rank in range(len(clinic.plan)):
        booking = _booking(clinic, rank)
        question = rng.choice(vocab.QUESTIONS) if clinic.plan.flags[rank] & FIRST else None
        yield (
            *_invitee_columns(clinic, booking, question),
            *_booking_columns(clinic, booking),
            *_refund_and_later_columns(clinic, booking),
        )


def _booking(clinic: Clinic, rank: int) -> _Booking:
    plan = clinic.plan
    cancelled_at = cancelled_by = reason = None
    if plan.status[rank] == CANCELLED:
        cancelled_at, cancelled_by, reason = cancellation(clinic, rank)
    moved_at, moved_from = _moved(clinic, rank)
    return _Booking(
        rank,
        clinic.clients[plan.client[rank]],
        clinic.therapists[plan.therapist[rank]],
        plan.start[rank],
        clinic.duration(rank),
        clinic.booking_id(rank),
        clinic.clock.at(plan.created[rank]),
        cancelled_at,
        cancelled_by,
        reason,
        moved_at,
        moved_from,
        booking_refund(clinic, rank),
    )


def _moved(clinic: Clinic, rank: int) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(when, and from which slot) a rescheduled or moved booking was moved; else (None, None)."""
    plan, seed, at = clinic.plan, clinic.seed, clinic.clock.at
    start, created = plan.start[rank], plan.created[rank]
    if not (plan.status[rank] == RESCHEDULED or plan.flags[rank] & MOVED):
        return None, None
    moved_minute = created + 1 + mix(seed, rank, 15) % max(1, min(start, NOW) - created - 1)
    return at(moved_minute), at(start - (1 + mix(seed, rank, 16) % 6) * DAY)


def _invitee_columns(clinic: Clinic, b: _Booking, question: str | None) -> tuple:
    """invitee_id .. invitee_payment_amount: the client as they booked and paid."""
    client, status = b.client, clinic.plan.status[b.rank]
    return (
        client.client_id,
        client.name,
        client.phone,
        client.email,
        question,
        token(clinic.seed, b.rank, 7, 32).lower(),
        client.country,
        client.city,
        client.timezone,
        b.created,
        b.cancelled_at,
        b.reason if b.cancelled_by == "invitee" else None,
        "cancelled" if status == CANCELLED else "active",
        payment_reference(clinic, b.rank, client.gateway),
        client.gateway,
        client.name,
        client.currency,
        clinic.amount(b.rank),
    )


def _booking_columns(clinic: Clinic, b: _Booking) -> tuple:
    """booking_user_id .. booking_account_id: the session, its host and its times."""
    at, therapist = clinic.clock.at, b.therapist
    subject = session_name(clinic, b.rank)
    online = bool(clinic.plan.flags[b.rank] & ONLINE)
    kind = "couples" if b.client.couples else "individual"
    return (
        b.client.client_id,
        _updated_at(clinic, b),
        f"{subject} with {therapist.name}",
        STATUSES[clinic.plan.status[b.rank]],
        f"evt_{therapist.therapist_id}_{kind}",
        "event_type",
        f"{subject} ({b.duration} min)",
        f"https://safestories.in/checkin/{b.booking_id}",
        "online" if online else "in-person",
        _meet_link(clinic.seed, b.rank) if online else "SafeStories studio, Indiranagar, Bengaluru",
        _invitee_time(clinic, b.client, b.start, b.duration),
        therapist.therapist_id,
        therapist.name,
        therapist.phone,
        therapist.email,
        at(b.start),
        at(b.end),
        b.duration,
        b.cancelled_by,
        b.reason,
        b.booking_id,
        ACCOUNT_ID,
    )


def _refund_and_later_columns(clinic: Clinic, b: _Booking) -> tuple:
    """refund_amount .. refund_id: the refund, the rescheduling, the emergency contact."""
    at, refund = clinic.clock.at, b.refund
    emergency = b.client.emergency or (None, None, None)
    return (
        refund.amount,
        refund.status,
        refund.failed,
        b.moved_at,
        at(b.start) if b.moved_at else None,
        at(b.end) if b.moved_at else None,
        b.moved_from,
        emergency[0],
        emergency[1],
        emergency[2],
        b.therapist.therapist_id,
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


def _updated_at(clinic: Clinic, b: _Booking) -> dt.datetime:
    """The latest change to the booking: made, cancelled, moved, refunded, or the session ended."""
    plan = clinic.plan
    changes = (b.cancelled_at, b.moved_at, b.refund.failed or b.refund.initiated)
    latest = max([b.created, *(c for c in changes if c is not None)])
    if plan.status[b.rank] in (COMPLETED, NO_SHOW):
        ended = clinic.clock.at(b.end + 5)
        latest = max(latest, ended)
    return latest
