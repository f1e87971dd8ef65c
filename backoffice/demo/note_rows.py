"""Row streams of the clinical tables: session notes (with the orphan), additional notes, doc forms."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from backoffice.demo import note_phrases, vocab
from backoffice.demo.clinic import NOTE_DEADLINE, ORPHAN_NOTE_BOOKING_ID, Clinic
from backoffice.demo.people import Client, Therapist
from backoffice.demo.plan import COMPLETED, DAY, FIRST, NOW
from backoffice.demo.rand import IST, mix, stream_rng

NOTE_COLUMNS = (
    "note_id",
    "booking_id",
    "client_name",
    "session_timing",
    "host_name",
    "session_status",
    "client_age",
    "gender",
    "occupation",
    "marital_status",
    "concerns_discussed",
    "somatic_cues",
    "interventions_used",
    "interventions_helpful",
    "client_participation",
    "goal_progress",
    "client_values",
    "self_harm_mention",
    "self_harm_details",
    "current_risk_level",
    "protective_factors",
    "health_history",
    "past_diagnoses",
    "next_session_plan",
    "homework_suggested",
    "created_at",
    "updated_at",
)


def has_note(clinic: Clinic, rank: int) -> bool:
    """Completed sessions get a note within 48 hours; the planted ones never did."""
    plan = clinic.plan
    if plan.status[rank] != COMPLETED or rank in clinic.warts.missing_notes:
        return False
    end = plan.start[rank] + clinic.duration(rank)
    return end <= NOW - NOTE_DEADLINE or mix(clinic.seed, rank, 20) % 2 == 0


@dataclass(frozen=True, slots=True)
class _Session:
    """The session a note is written about."""

    booking_id: str
    client: Client
    therapist: Therapist
    start: int
    duration: int
    risky: bool  # a planted high-risk note


def note_rows(clinic: Clinic) -> Iterator[tuple]:
    """Notes in the order they were written; the orphan sits among them where its session was."""
    rng = stream_rng(clinic.seed, "session_notes")
    plan = clinic.plan
    orphan_start = -(clinic.size.history_days // 2) * DAY + 17 * 60
    clinic.warts.orphan_note_ids.clear()  # found afresh on every pass over the notes
    clinic.warts.risky_note_ids.clear()
    clinic.warts.note_ids.clear()
    note_id = 0
    for rank in range(len(plan)):
        if not has_note(clinic, rank):
            continue
        if not clinic.warts.orphan_note_ids and plan.created[rank] >= orphan_start:
            note_id += 1
            yield _orphan(clinic, rng, note_id, orphan_start)
        note_id += 1
        session = _session(clinic, rank)
        if session.risky:
            clinic.warts.risky_note_ids.append(note_id)
            clinic.warts.note_ids[rank] = note_id
        yield _note(clinic, rng, note_id, session)
    if not clinic.warts.orphan_note_ids:
        yield _orphan(clinic, rng, note_id + 1, orphan_start)


def _session(clinic: Clinic, rank: int) -> _Session:
    plan = clinic.plan
    return _Session(
        clinic.booking_id(rank),
        clinic.clients[plan.client[rank]],
        clinic.therapists[plan.therapist[rank]],
        plan.start[rank],
        clinic.duration(rank),
        rank in clinic.warts.risky_notes,
    )


# Pooja Jain, whom the orphan note is about.
_ORPHAN_CLIENT = Client(
    index=-1,
    client_id="",
    name=vocab.ORPHAN_NOTE_CLIENT,
    phone="",
    email="",
    country="India",
    city="Mumbai",
    timezone="Asia/Kolkata",
    currency="INR",
    gateway="Razorpay",
    age=29,
    gender="Female",
    occupation="Chartered accountant",
    marital="Single",
    emergency=None,
    couples=False,
    online=True,
    slot=17 * 60,
)


def _orphan(clinic: Clinic, rng: random.Random, note_id: int, start: int) -> tuple:
    """The seed's orphan: a note for booking '56430' (Pooja Jain), which no longer exists."""
    clinic.warts.orphan_note_ids.append(note_id)
    session = _Session(
        ORPHAN_NOTE_BOOKING_ID, _ORPHAN_CLIENT, clinic.therapists[0], start, 50, False
    )
    return _note(clinic, rng, note_id, session)


def _note(clinic: Clinic, rng: random.Random, note_id: int, session: _Session) -> tuple:
    end = session.start + session.duration
    written = end + 10 + rng.randrange(max(1, min(NOTE_DEADLINE - 60, NOW - end - 11)))
    edited = written + (rng.randrange(5, 180) if rng.random() < 0.15 else 0)
    client, at = session.client, clinic.clock.at
    return (
        note_id,
        session.booking_id,
        client.name,
        clinic.clock.session_text(session.start, session.duration),
        session.therapist.name,
        "completed",
        client.age,
        client.gender,
        client.occupation,
        client.marital,
        *_written_risk(clinic, note_id, _clinical_columns(rng, session.risky), session.risky),
        at(written),
        at(min(edited, NOW - 1)),
    )


def _clinical_columns(rng: random.Random, risky: bool) -> tuple:
    """concerns_discussed .. homework_suggested, drawn from the note phrases."""
    cues = rng.sample(note_phrases.SOMATIC_CUES, rng.choice((0, 1, 1, 2, 2, 3)))
    return (
        rng.choice(note_phrases.CONCERNS),
        cues,
        "; ".join(rng.sample(note_phrases.INTERVENTIONS, 2)),
        rng.choice(note_phrases.HELPFUL),
        rng.choice(note_phrases.PARTICIPATION),
        rng.choice(note_phrases.GOAL_PROGRESS),
        rng.choice(note_phrases.VALUES),
        "yes" if risky else "no",
        rng.choice(note_phrases.SELF_HARM_DETAILS) if risky else None,
        "high" if risky else ("medium" if rng.random() < 0.18 else "low"),
        rng.choice(note_phrases.PROTECTIVE),
        rng.choice(note_phrases.HEALTH),
        rng.choice(note_phrases.DIAGNOSES),
        rng.choice(note_phrases.NEXT_PLAN),
        rng.choice(note_phrases.HOMEWORK),
    )


def _written_risk(clinic: Clinic, note_id: int, columns: tuple, risky: bool) -> tuple:
    """A few notes whose risk fields say low while the text says more (what the risk scan is
    for), and a few with the negations and idioms it must leave alone. A hash of the note id
    chooses them, so the other columns draw the same numbers as before."""
    pick = mix(clinic.seed, note_id, 31) % 100
    if risky or pick >= 6:
        return columns
    phrases = note_phrases.WRITTEN_RISK if pick < 3 else note_phrases.NEAR_MISSES
    return (phrases[mix(clinic.seed, note_id, 32) % len(phrases)], *columns[1:])


ADDITIONAL_COLUMNS = (
    "note_id",
    "booking_id",
    "therapist_id",
    "therapist_name",
    "note_text",
    "created_at",
    "updated_at",
)


def additional_note_rows(clinic: Clinic) -> Iterator[tuple]:
    """A few completed sessions carry a practical note besides the clinical one."""
    rng = stream_rng(clinic.seed, "additional_notes")
    plan = clinic.plan
    note_id = 0
    for rank in range(len(plan)):
        if plan.status[rank] != COMPLETED or mix(clinic.seed, rank, 21) % 100 >= 4:
            continue
        therapist = clinic.therapists[plan.therapist[rank]]
        end = plan.start[rank] + clinic.duration(rank)
        written = clinic.clock.at(min(end + rng.randrange(5, 600), NOW - 1))
        note_id += 1
        yield (
            note_id,
            clinic.booking_id(rank),
            therapist.therapist_id,
            therapist.name,
            rng.choice(note_phrases.ADDITIONAL_NOTES),
            written,
            written,
        )


DOC_FORM_COLUMNS = ("link_id", "booking_id", "paperform_link", "status")


def doc_form_rows(clinic: Clinic) -> Iterator[tuple]:
    """The intake form sent with each client's first booking."""
    rng = stream_rng(clinic.seed, "doc_forms")
    plan = clinic.plan
    link_id = 0
    for rank in range(len(plan)):
        if not plan.flags[rank] & FIRST:
            continue
        booking_id = clinic.booking_id(rank)
        if plan.start[rank] < NOW:
            status = "submitted" if rng.random() < 0.93 else "pending"
        else:
            status = rng.choice(("sent", "sent", "submitted", "pending"))
        link_id += 1
        yield (
            link_id,
            booking_id,
            f"https://safestories.paperform.co/intake?booking_id={booking_id}",
            status,
        )


REVIEW_COLUMNS = ("note_id", "reviewer", "reviewed_at", "outcome", "comment")
_REVIEWS = (
    ("follow_up", "Spoke with the therapist; next session brought forward."),
    ("safety_plan", "Safety plan agreed with the client and shared with the therapist."),
    ("escalated", "Escalated to the clinical lead; emergency contact confirmed."),
)
REVIEWER = "demo_admin"


def review_rows(clinic: Clinic) -> Iterator[tuple]:
    """backoffice.note_reviews: the older planted high-risk notes, reviewed a day or two after."""
    rng = stream_rng(clinic.seed, "note_reviews")
    plan = clinic.plan
    for n, rank in enumerate(sorted(clinic.warts.reviewed_risky)):
        end = plan.start[rank] + clinic.duration(rank)
        reviewed = clinic.clock.at(min(end + DAY + rng.randrange(DAY), NOW - 1))
        outcome, comment = _REVIEWS[n % len(_REVIEWS)]
        yield (
            clinic.warts.note_ids[rank],
            REVIEWER,
            reviewed.replace(tzinfo=IST),
            outcome,
            comment,
        )
