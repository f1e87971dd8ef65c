"""Row streams of the tables that follow the bookings: payments, appointments, cancellations."""

from __future__ import annotations

from collections.abc import Iterator

from backoffice.demo.clinic import Clinic
from backoffice.demo.facts import (
    booking_refund,
    cancellation,
    mode,
    payment_reference,
    payment_refund,
    session_name,
)
from backoffice.demo.plan import CANCELLED, NO_REFUND

PAYMENT_COLUMNS = (
    "payment_id",
    "booking_id",
    "invitee_name",
    "invitee_email",
    "payment_reference_id",
    "amount",
    "currency",
    "payment_date",
    "payment_gateway_name",
    "refund_amount",
    "refund_initiation_date",
    "refund_status",
    "refund_failed_date",
    "created_at",
    "updated_at",
    "refund_id",
)


def payment_rows(clinic: Clinic) -> Iterator[tuple]:
    plan, at = clinic.plan, clinic.clock.at
    for rank in range(len(plan)):
        client = clinic.clients[plan.client[rank]]
        paid = at(plan.created[rank] + 1 + rank % 4)
        refund = payment_refund(clinic, rank)
        changed = refund.failed or refund.initiated or paid
        yield (
            clinic.payment_id(rank),
            clinic.booking_id(rank),
            client.name,
            client.email,
            payment_reference(clinic, rank, client.gateway),
            clinic.amount(rank),
            client.currency,
            paid,
            client.gateway,
            refund.amount,
            refund.initiated,
            refund.status,
            refund.failed,
            paid,
            changed,
            refund.refund_id,
        )


APPOINTMENT_COLUMNS = (
    "session_id",
    "session_timings",
    "session_name",
    "session_mode",
    "client_id",
    "client_name",
    "contact_info",
    "therapist_id",
    "therapist_name",
)


def appointment_rows(clinic: Clinic) -> Iterator[tuple]:
    plan, at = clinic.plan, clinic.clock.at
    for rank in range(len(plan)):
        if not clinic.has_appointment(rank):
            continue
        client = clinic.clients[plan.client[rank]]
        therapist = clinic.therapists[plan.therapist[rank]]
        yield (
            clinic.booking_id(rank),
            at(plan.start[rank]),
            session_name(clinic, rank),
            mode(clinic, rank),
            client.client_id,
            client.name,
            client.phone,
            therapist.therapist_id,
            therapist.name,
        )


CANCELLED_COLUMNS = (
    "id",
    "booking_id",
    "invitee_id",
    "invitee_name",
    "invitee_number",
    "invitee_email",
    "cancelled_at",
    "cancelled_by",
    "cancel_reason",
    "created_at",
)


def cancelled_rows(clinic: Clinic) -> Iterator[tuple]:
    plan = clinic.plan
    row_id = 0
    for rank in range(len(plan)):
        if plan.status[rank] != CANCELLED:
            continue
        client = clinic.clients[plan.client[rank]]
        cancelled_at, by, reason = cancellation(clinic, rank)
        row_id += 1
        yield (
            row_id,
            clinic.booking_id(rank),
            client.client_id,
            client.name,
            client.phone,
            client.email,
            cancelled_at,
            by,
            reason,
            cancelled_at,
        )


REFUND_CANCELLATION_COLUMNS = (
    "id",
    "client_id",
    "client_name",
    "session_id",
    "session_name",
    "session_timings",
    "payment_id",
    "refund_status",
    "refund_id",
)


def refund_cancellation_rows(clinic: Clinic) -> Iterator[tuple]:
    """One row per refunded cancellation whose session is in the appointments table."""
    plan = clinic.plan
    row_id = 0
    for rank in range(len(plan)):
        if plan.refund[rank] == NO_REFUND or not clinic.has_appointment(rank):
            continue
        client = clinic.clients[plan.client[rank]]
        refund = booking_refund(clinic, rank)
        row_id += 1
        yield (
            row_id,
            client.client_id,
            client.name,
            clinic.booking_id(rank),
            session_name(clinic, rank),
            clinic.clock.at(plan.start[rank]),
            str(clinic.payment_id(rank)),
            refund.status,
            refund.refund_id,
        )
