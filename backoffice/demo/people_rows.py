"""Row streams of people tables: therapists, users, clients, transfers, resources, campaigns."""

from __future__ import annotations

from collections.abc import Iterator

from backoffice.demo import vocab
from backoffice.demo.clinic import Clinic
from backoffice.demo.people import ORPHAN_RESOURCE_THERAPIST_ID
from backoffice.demo.plan import DAY
from backoffice.demo.rand import ascii_slug, stream_rng, token

THERAPIST_COLUMNS = (
    "id",
    "therapist_id",
    "name",
    "specialization",
    "contact_info",
    "sessions_booked",
    "capacity",
    "created_at",
)


# What the generated `sessions_booked` counts: the therapist's bookings that were not cancelled
# (the demo build tells the back-office so: `choose_sessions_booked_definition`).
SESSIONS_BOOKED_MEANS = "not_cancelled"


def therapist_rows(clinic: Clinic) -> Iterator[tuple]:
    """`sessions_booked` counts the therapist's bookings that were not cancelled."""
    for therapist in clinic.therapists:
        total, _, cancelled, _, _ = clinic.plan.stats[therapist.index]
        yield (
            therapist.index + 1,
            therapist.therapist_id,
            therapist.name,
            therapist.specialization,
            therapist.email,
            total - cancelled,
            therapist.capacity,
            clinic.clock.at(therapist.joined_day * DAY + 11 * 60),
        )


USER_COLUMNS = (
    "id",
    "username",
    "password",
    "name",
    "role",
    "created_at",
    "updated_at",
    "therapist_id",
    "full_name",
)


def fake_password_hash(clinic: Clinic, user_id: int) -> str:
    """Shaped like a bcrypt hash but the hash of no password: nobody can log in with it."""
    return "$2b$12$" + token(clinic.seed, user_id, 30, 53)


def user_rows(clinic: Clinic) -> Iterator[tuple]:
    at = clinic.clock.at
    opened = -clinic.size.history_days * DAY - 500 * DAY
    for index, (username, name) in enumerate(vocab.ADMINS[: clinic.size.admins]):
        created = at(opened + index * 37 * DAY + 10 * 60)
        yield (
            index + 1,
            username,
            fake_password_hash(clinic, index + 1),
            name,
            "admin",
            created,
            created,
            None,
            name,
        )
    for therapist in clinic.therapists:
        created = at(therapist.joined_day * DAY + 11 * 60 + 5)
        yield (
            therapist.user_id,
            therapist.email,
            fake_password_hash(clinic, therapist.user_id),
            therapist.name,
            "therapist",
            created,
            created,
            therapist.therapist_id,
            therapist.name,
        )


CLIENT_COLUMNS = (
    "client_id",
    "client_name",
    "phone_number",
    "email_id",
    "no_of_sessions",
    "therapist_id",
    "assigned_therapist",
)


def client_rows(clinic: Clinic) -> Iterator[tuple]:
    """`no_of_sessions` is the number of the client's bookings, whatever their status."""
    plan = clinic.plan
    for client in clinic.clients:
        therapist = clinic.therapists[plan.current_therapist[client.index]]
        yield (
            client.client_id,
            client.name,
            client.phone,
            client.email,
            plan.sessions[client.index],
            therapist.therapist_id,
            therapist.name,
        )


TRANSFER_COLUMNS = (
    "transfer_id",
    "client_name",
    "client_email",
    "client_phone",
    "from_therapist_id",
    "from_therapist_name",
    "to_therapist_id",
    "to_therapist_name",
    "transferred_by_admin_id",
    "transferred_by_admin_name",
    "transfer_date",
    "reason",
    "notes",
)


def transfer_rows(clinic: Clinic) -> Iterator[tuple]:
    rng = stream_rng(clinic.seed, "transfer_rows")
    for transfer_id, transfer in enumerate(clinic.plan.transfers, start=1):
        client = clinic.clients[transfer.client]
        old = clinic.therapists[transfer.from_therapist]
        new = clinic.therapists[transfer.to_therapist]
        note = rng.choice(
            (
                None,
                None,
                "Client informed by phone",
                "Handover call done",
                "Past notes shared with the new therapist",
            )
        )
        yield (
            transfer_id,
            client.name,
            client.email,
            client.phone,
            old.therapist_id,
            old.name,
            new.therapist_id,
            new.name,
            transfer.admin + 1,
            vocab.ADMINS[transfer.admin][1],
            clinic.clock.at(transfer.minute),
            rng.choice(vocab.TRANSFER_REASONS),
            note,
        )


RESOURCE_COLUMNS = (
    "id",
    "resource_id",
    "resource_name",
    "therapist_id",
    "therapist_name",
    "created_at",
    "therapy_name",
)


def resource_rows(clinic: Clinic) -> Iterator[tuple]:
    """Worksheets per therapist, after the clinic's own resources filed under therapist '58605'."""
    at = clinic.clock.at
    clinic.warts.orphan_resource_ids.clear()
    for row_id, (resource_id, name, therapy) in enumerate(vocab.SYSTEM_RESOURCES, 1):
        clinic.warts.orphan_resource_ids.append(row_id)
        yield (
            row_id,
            resource_id,
            name,
            ORPHAN_RESOURCE_THERAPIST_ID,
            "SafeStories",
            at((-clinic.size.history_days - 300) * DAY + 12 * 60),
            therapy,
        )
    yield from _therapist_resource_rows(clinic, len(vocab.SYSTEM_RESOURCES))


def _therapist_resource_rows(clinic: Clinic, row_id: int) -> Iterator[tuple]:
    """Each therapist's worksheets, uploaded some time after they joined; ids follow `row_id`."""
    rng = stream_rng(clinic.seed, "resources")
    at = clinic.clock.at
    for therapist in clinic.therapists:
        count = min(clinic.size.resources_per_therapist, len(vocab.RESOURCES))
        for resource_id, name, therapy in rng.sample(vocab.RESOURCES, count):
            row_id += 1
            day = therapist.joined_day + rng.randrange(1, 200)
            yield (
                row_id,
                resource_id,
                name,
                therapist.therapist_id,
                therapist.name,
                at(day * DAY + rng.randrange(9 * 60, 19 * 60)),
                therapy,
            )


CAMPAIGN_COLUMNS = ("campaign_name", "therapy", "therapist_name")


def campaign_rows(clinic: Clinic) -> Iterator[tuple]:
    """WhatsApp campaigns name their therapist by name only (the table has no key at all)."""
    for index in range(clinic.size.campaigns):
        therapist = clinic.therapists[index % len(clinic.therapists)]
        therapy = therapist.specialisations[
            index // len(clinic.therapists) % len(therapist.specialisations)
        ]
        name = f"ss_followup_{ascii_slug(therapy, '_')}_{ascii_slug(therapist.name, '_')}"
        yield (name.replace("&", "and"), therapy, therapist.name)
