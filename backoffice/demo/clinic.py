"""The whole demo clinic before it becomes rows: people, the booking plan and the planted warts."""

from __future__ import annotations

import datetime as dt
import random
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from backoffice.demo.people import Client, Therapist, make_clients, make_therapists
from backoffice.demo.plan import (
    BY_HOST,
    CANCELLED,
    COMPLETED,
    DAY,
    FAILED,
    NO_REFUND,
    NOW,
    PARTIAL,
    PROCESSED,
    Plan,
    draw_sessions,
    in_booking_order,
    settle_statuses,
)
from backoffice.demo.rand import Clock, stream_rng
from backoffice.demo.sizes import DemoSize
from backoffice.demo.transfers import plan_transfers

# Below it: the clinic's older, deleted bookings (the orphan note's '56430').
FIRST_BOOKING_ID = 60001
ORPHAN_NOTE_BOOKING_ID = "56430"
NOTE_DEADLINE = 2 * DAY  # a completed session should have its note within 48 hours
# Planted note warts are of the last weeks: a clinic reviews a high-risk note within days, so only
# the last week's are still waiting; the older ones have their review (`Warts.reviewed_risky`).
RECENT_NOTES = 30 * DAY
REVIEWED_AFTER = 7 * DAY
# How a payment's refund fields disagree with its booking's (the seed's duplicated refund fields).
STALE_PAYMENT_STATUS = 0
BLANK_PAYMENT_REFUND = 1
BLANK_BOOKING_AMOUNT = 2
OTHER_REFUND_ID = 3
FLIPPED = 4
_DISAGREEMENTS = 5


@dataclass
class Warts:
    """Ranks of the bookings that carry a planted wart, and the ids found while writing rows."""

    partial: dict[int, None] = field(default_factory=dict)
    disagree: dict[int, int] = field(default_factory=dict)  # rank -> how
    missing_notes: dict[int, None] = field(default_factory=dict)
    risky_notes: dict[int, None] = field(default_factory=dict)
    reviewed_risky: dict[int, None] = field(default_factory=dict)  # already reviewed
    risky_note_ids: list[int] = field(default_factory=list)
    note_ids: dict[int, int] = field(default_factory=dict)  # rank -> note id, of risky notes
    orphan_note_ids: list[int] = field(default_factory=list)
    orphan_resource_ids: list[int] = field(default_factory=list)


@dataclass
class Clinic:
    size: DemoSize
    seed: int
    today: dt.date
    therapists: list[Therapist]
    clients: list[Client]
    plan: Plan
    warts: Warts
    clock: Clock

    @property
    def now(self) -> dt.datetime:
        return self.clock.at(NOW)

    @staticmethod
    def booking_id(rank: int) -> str:
        return str(FIRST_BOOKING_ID + rank)

    @staticmethod
    def payment_id(rank: int) -> int:
        return rank + 1

    def duration(self, rank: int) -> int:
        return 60 if self.clients[self.plan.client[rank]].couples else 50

    def amount(self, rank: int) -> Decimal:
        plan = self.plan
        return self.clients[plan.client[rank]].fee(self.therapists[plan.therapist[rank]].fee_tier)

    def has_appointment(self, rank: int) -> bool:
        return self.plan.start[rank] >= NOW - self.size.appointment_days * DAY

    def ranks(self, keep: Callable[[int], bool]) -> array:
        """Ranks of the bookings that `keep` accepts, as a compact array."""
        return array("l", (rank for rank in range(len(self.plan)) if keep(rank)))


def build_clinic(size: DemoSize, seed: int, today: dt.date) -> Clinic:
    """Everything decided up front; the table streams only turn it into rows."""
    therapists = make_therapists(size, seed)
    clients = make_clients(size, seed)
    plan, offsets = draw_sessions(size, seed, clients, therapists)
    plan_transfers(plan, offsets, size, seed)
    plan = in_booking_order(plan)
    settle_statuses(plan, seed, len(therapists))
    clinic = Clinic(size, seed, today, therapists, clients, plan, Warts(), Clock(today))
    _plant_warts(clinic)
    return clinic


def _plant_warts(clinic: Clinic) -> None:
    """Mark the bookings that carry a wart, each kind drawn in turn from one random stream."""
    rng = stream_rng(clinic.seed, "warts")
    _plant_partial_refunds(clinic, rng)
    _plant_disagreeing_refunds(clinic, rng)
    _plant_note_warts(clinic, rng)


def _pick(clinic: Clinic, rng: random.Random, keep: Callable[[int], bool], count: int) -> list[int]:
    """`count` ranks (or all there are) among those `keep` accepts, drawn at random, in order."""
    candidates = clinic.ranks(keep)
    drawn = rng.sample(range(len(candidates)), min(count, len(candidates)))
    return sorted(candidates[i] for i in drawn)


def _plant_partial_refunds(clinic: Clinic, rng: random.Random) -> None:
    """Late cancellations by the client that were refunded half."""
    plan = clinic.plan

    def late_cancellation(rank: int) -> bool:
        return (
            plan.status[rank] == CANCELLED
            and plan.refund[rank] == NO_REFUND
            and not plan.flags[rank] & BY_HOST
            and plan.start[rank] < NOW
            and clinic.has_appointment(rank)
        )

    for rank in _pick(clinic, rng, late_cancellation, clinic.size.partial_refunds):
        plan.refund[rank] = PARTIAL
        clinic.warts.partial[rank] = None


def _plant_disagreeing_refunds(clinic: Clinic, rng: random.Random) -> None:
    """Refunds whose payment row disagrees with the booking's, each way in turn."""
    plan = clinic.plan
    refunded = _pick(
        clinic,
        rng,
        lambda rank: plan.refund[rank] in (PROCESSED, FAILED),
        clinic.size.disagreeing_refunds,
    )
    for how, rank in enumerate(refunded):
        clinic.warts.disagree[rank] = how % _DISAGREEMENTS


def _plant_note_warts(clinic: Clinic, rng: random.Random) -> None:
    """Completed sessions of the last weeks past the note deadline: some without a note, some with
    a risky one; the risky notes of the last week wait for review, the older ones have theirs."""
    plan, size, warts = clinic.plan, clinic.size, clinic.warts

    def overdue(since: int, until: int) -> Callable[[int], bool]:
        def keep(rank: int) -> bool:
            end = plan.start[rank] + clinic.duration(rank)
            return plan.status[rank] == COMPLETED and NOW - since <= end <= NOW - until

        return keep

    for rank in _pick(clinic, rng, overdue(RECENT_NOTES, NOTE_DEADLINE), size.missing_notes):
        warts.missing_notes[rank] = None
    waiting = (size.risky_notes + 1) // 2
    last_week = overdue(REVIEWED_AFTER, NOTE_DEADLINE)
    for rank in _pick(
        clinic, rng, lambda r: last_week(r) and r not in warts.missing_notes, waiting
    ):
        warts.risky_notes[rank] = None
    older = overdue(RECENT_NOTES, REVIEWED_AFTER + 1)
    picked = _pick(
        clinic, rng, lambda r: older(r) and r not in warts.missing_notes, size.risky_notes - waiting
    )
    for rank in picked:
        warts.risky_notes[rank] = None
        warts.reviewed_risky[rank] = None
