"""Row streams of activity: audit logs, notifications, booking requests, therapist applications."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from backoffice.demo import vocab
from backoffice.demo.clinic import Clinic
from backoffice.demo.facts import session_name
from backoffice.demo.people import person_name
from backoffice.demo.plan import CANCELLED, COMPLETED, DAY, FAILED, NOW, RESCHEDULED
from backoffice.demo.rand import IST, ascii_slug, indian_mobile, mix, stream_rng
from backoffice.demo.registration_rows import application_expiry

AUDIT_COLUMNS = (
    "log_id",
    "therapist_id",
    "therapist_name",
    "action_type",
    "action_description",
    "client_name",
    "ip_address",
    "is_visible",
    "timestamp",
)


def _sorted_ranks(clinic: Clinic, name: str, count: int) -> list[int]:
    rng = stream_rng(clinic.seed, name)
    return sorted(rng.randrange(len(clinic.plan)) for _ in range(count))


def audit_rows(clinic: Clinic) -> Iterator[tuple]:
    """Therapists' actions on the dashboard; `timestamp` is the clinic's IST text, as it stores it."""
    rng = stream_rng(clinic.seed, "audit_rows")
    plan = clinic.plan
    for log_id, rank in enumerate(_sorted_ranks(clinic, "audit_ranks", clinic.size.audit_logs), 1):
        therapist = clinic.therapists[plan.therapist[rank]]
        client = clinic.clients[plan.client[rank]]
        end = plan.start[rank] + clinic.duration(rank)
        if plan.status[rank] == COMPLETED and end < NOW - 60 and rng.random() < 0.4:
            action, text = vocab.AUDIT_ACTIONS[2 if rng.random() < 0.8 else 3]
            minute = min(end + rng.randrange(10, 600), NOW - 1)
        else:
            action, text = vocab.AUDIT_ACTIONS[rng.choice((0, 0, 1, 1, 4, 5))]
            minute = plan.created[rank] + rng.randrange(5, 240)
            if minute >= NOW:  # booked in the last hours: seen some time before now
                minute = (plan.created[rank] + NOW) // 2
        about_client = action in ("VIEW_CLIENT", "CREATE_NOTE", "UPDATE_NOTE")
        ip = f"{rng.choice(vocab.IP_PREFIXES)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        yield (
            log_id,
            therapist.therapist_id,
            therapist.name,
            action,
            f"{text} ({client.name})" if about_client else text,
            client.name if about_client else None,
            ip,
            rng.random() > 0.02,
            f"{clinic.clock.at(minute):%Y-%m-%d %H:%M:%S}",
        )


NOTIFICATION_COLUMNS = (
    "notification_id",
    "user_id",
    "user_role",
    "notification_type",
    "title",
    "message",
    "related_id",
    "is_read",
    "created_at",
)


def notification_rows(clinic: Clinic) -> Iterator[tuple]:
    plan, at = clinic.plan, clinic.clock.at
    ranks = _sorted_ranks(clinic, "notification_ranks", clinic.size.notifications)
    for notification_id, rank in enumerate(ranks, 1):
        minute = min(plan.created[rank] + 2, NOW - 1)
        read = minute < NOW - 3 * DAY and mix(clinic.seed, rank, 41) % 10 != 0
        yield (
            notification_id,
            *_recipient(clinic, rank),
            *_notice(clinic, rank),
            clinic.booking_id(rank),
            read,
            at(minute),
        )


def _recipient(clinic: Clinic, rank: int) -> tuple[int, str]:
    """(user id, role): a failed refund is an admin's to handle, the rest the therapist's news."""
    if clinic.plan.refund[rank] == FAILED:
        return 1 + mix(clinic.seed, rank, 40) % clinic.size.admins, "admin"
    return clinic.therapists[clinic.plan.therapist[rank]].user_id, "therapist"


def _notice(clinic: Clinic, rank: int) -> tuple[str, str, str]:
    """(type, title, message) of the notification about one booking."""
    plan = clinic.plan
    client = clinic.clients[plan.client[rank]]
    when = clinic.clock.session_text(plan.start[rank], clinic.duration(rank))
    if plan.refund[rank] == FAILED:
        return (
            "refund_failed",
            "Refund failed",
            f"The refund of {client.currency} {clinic.amount(rank)} to {client.name} "
            f"failed at {client.gateway}.",
        )
    if plan.status[rank] == CANCELLED:
        message = f"{client.name} cancelled the session on {when}."
        return "booking_cancelled", "Session cancelled", message
    if plan.status[rank] == RESCHEDULED:
        message = f"{client.name} moved their session to {when}."
        return "booking_rescheduled", "Session rescheduled", message
    message = f"{client.name} booked a session ({session_name(clinic, rank)}) on {when}."
    return "new_booking", "New booking", message


REQUEST_COLUMNS = (
    "request_id",
    "client_name",
    "client_whatsapp",
    "client_email",
    "therapy_type",
    "therapist_name",
    "booking_link",
    "status",
    "created_at",
    "is_free_consultation",
)


def booking_request_rows(clinic: Clinic) -> Iterator[tuple]:
    """Booking links sent over WhatsApp to people who asked; most older ones were used or expired."""
    rng = stream_rng(clinic.seed, "booking_requests")
    minutes = sorted(
        NOW - rng.randrange(30, 120 * DAY) for _ in range(clinic.size.booking_requests)
    )
    for request_id, minute in enumerate(minutes, start=1):
        first, last, _ = person_name(rng, {})
        name = f"{first} {last}"
        therapist = rng.choice(clinic.therapists)
        free = rng.random() < 0.3
        therapy = "Free Consultation" if free else rng.choice(therapist.specialisations)
        if minute > NOW - 7 * DAY:
            status = "sent"
        else:
            status = rng.choice(("sent", "booked", "booked", "expired"))
        slug = ascii_slug(therapist.name, "-")
        yield (
            request_id,
            name,
            indian_mobile(rng),
            f"{ascii_slug(name)}{rng.randrange(10, 99)}@gmail.com",
            therapy,
            therapist.name,
            f"https://safestories.in/book/{slug}?src=whatsapp&req={request_id}",
            status,
            clinic.clock.at(minute),
            free,
        )


def _common(noun: str) -> str:
    """'Couples therapy' -> 'couples therapy', but 'CBT' and 'OCD' stay as they are."""
    return noun if noun[:2].isupper() else noun[0].lower() + noun[1:]


APPLICATION_COLUMNS = (
    "full_name",
    "email",
    "phone",
    "registration_number",
    "registration_council",
    "registration_expires_on",
    "specialisations",
    "bio",
    "years_of_experience",
    "languages",
    "documents",
    "photo",
    "weekly_capacity",
    "submitted_at",
    "state",
    "decided_by",
    "decided_at",
    "decision_message",
    "therapist_id",
)
REJECTIONS = (
    "The registration number could not be verified with the council.",
    "We need at least two years of supervised clinical practice.",
)
MORE_INFORMATION = "Please upload your registration certificate; the file you sent did not open."


DOCUMENTS = (
    "registration_certificate.pdf",
    "degree_certificate.pdf",
    "government_id.pdf",
    "supervision_letter.pdf",
)
# How many days before today each kind of application was submitted (less one per application).
_SUBMITTED_DAYS_AGO = {"rejected": 60, "needs_information": 25, "pending": 14}


def application_rows(clinic: Clinic) -> Iterator[tuple]:
    """backoffice.therapist_applications: pending ones to decide, and a few already decided."""
    rng = stream_rng(clinic.seed, "applications")
    size = clinic.size
    taken = {therapist.name: 1 for therapist in clinic.therapists}
    states = (
        ["rejected"] * size.rejected_applications
        + ["needs_information"] * size.info_applications
        + ["pending"] * size.pending_applications
    )
    for number, state in enumerate(states):
        row = _application(clinic, rng, taken, number, state)
        expiry = application_expiry(clinic, number, number == len(states) - 1)
        yield (*row[:5], expiry, *row[5:])


def _application(
    clinic: Clinic, rng: random.Random, taken: dict[str, int], number: int, state: str
) -> tuple:
    first, last, _ = person_name(rng, taken)
    name = f"{first} {last}"
    taken[name] = 1
    folder = f"applications/{number + 1:03d}-{ascii_slug(name, '-')}"  # one folder an applicant
    specialisations = rng.sample(vocab.SPECIALISATIONS, rng.randint(2, 3))
    languages = ["English", *rng.sample(vocab.LANGUAGES[1:], rng.randint(1, 2))]
    years = rng.randint(1, 15)
    decision = _decision_columns(clinic, rng, number, state)
    return (
        name,
        f"{ascii_slug(name)}.therapy@gmail.com",
        indian_mobile(rng),
        f"A{rng.randrange(10000, 99999)}",
        rng.choice(vocab.COUNCILS),
        specialisations,
        f"{first} is a counselling psychologist with {years} years of practice in "
        f"{_common(specialisations[0])} and {_common(specialisations[1])}; sessions in "
        f"{', '.join(languages)}.",
        years,
        languages,
        [f"{folder}/{document}" for document in rng.sample(DOCUMENTS, rng.randint(1, 3))],
        f"{folder}/photo.jpg" if rng.random() < 0.7 else None,
        rng.randrange(8, 31),
        *decision,
    )


def _decision_columns(clinic: Clinic, rng: random.Random, number: int, state: str) -> tuple:
    """submitted_at .. therapist_id: when it came in, and who decided what (none recorded a
    therapist yet)."""
    days_ago = _SUBMITTED_DAYS_AGO[state] - number
    submitted = dt.datetime.combine(
        clinic.today - dt.timedelta(days=max(1, days_ago)),
        dt.time(rng.randrange(9, 21), rng.randrange(60)),
        tzinfo=IST,
    )
    if state == "pending":
        return submitted, state, None, None, None, None
    decided = submitted + dt.timedelta(days=rng.randint(2, 6), hours=rng.randint(1, 5))
    message = rng.choice(REJECTIONS) if state == "rejected" else MORE_INFORMATION
    return submitted, state, "admin", decided, message, None
