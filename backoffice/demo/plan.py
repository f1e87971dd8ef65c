"""The booking plan: who sees whom and when, in compact arrays (a few bytes per booking).

Bookings are drawn client by client (a cadence, a preferred slot, transfers between therapists),
then ordered by the moment they were booked so that booking ids and payment ids grow with time.
Every table stream reads the plan by *rank* (the booking's position in that order).
"""

from __future__ import annotations

import math
import random
from array import array
from dataclasses import dataclass, field

import numpy

from backoffice.demo.people import Client, Therapist
from backoffice.demo.rand import mix, stream_rng
from backoffice.demo.sizes import DemoSize

NOW = 8 * 60  # the demo's "now": 08:00 IST on `today`; every session today is still to come
DAY = 1440
CONFIRMED, COMPLETED, CANCELLED, NO_SHOW, RESCHEDULED = range(5)
STATUSES = ("confirmed", "completed", "cancelled", "no_show", "rescheduled")
NO_REFUND, PROCESSED, INITIATED, FAILED, PARTIAL = range(5)
REFUND_STATUSES = (None, "processed", "initiated", "failed", "processed")
ONLINE, MOVED, FIRST, BY_HOST = 1, 2, 4, 8  # flag bits
SALT_CANCEL = 11


@dataclass(frozen=True, slots=True)
class Transfer:
    client: int
    minute: int
    from_therapist: int
    to_therapist: int
    admin: int  # index into the admin users


@dataclass
class Plan:
    """Per booking (by rank): client, therapist, start and booking minute, status, flags, refund."""

    client: array = field(default_factory=lambda: array("i"))
    therapist: array = field(default_factory=lambda: array("h"))
    start: array = field(default_factory=lambda: array("i"))
    created: array = field(default_factory=lambda: array("i"))
    status: array = field(default_factory=lambda: array("b"))
    flags: array = field(default_factory=lambda: array("B"))
    refund: array = field(default_factory=lambda: array("b"))
    sessions: list[int] = field(default_factory=list)  # bookings per client
    current_therapist: list[int] = field(default_factory=list)  # per client
    transfers: list[Transfer] = field(default_factory=list)
    # therapist index -> [total, confirmed-or-held, cancelled, no-shows, upcoming]
    stats: list[list[int]] = field(default_factory=list)
    # (therapist, client) -> [bookings, start of the last completed session or None]
    pairs: dict[tuple[int, int], list[int | None]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.start)


def cancel_minute(seed: int, rank: int, created: int, start: int) -> int:
    """When a cancelled booking was cancelled: after it was made, before the session and before now."""
    span = max(1, min(start, NOW) - created - 1)
    return created + 1 + mix(seed, rank, SALT_CANCEL) % span


def session_counts(rng: random.Random, size: DemoSize) -> list[int]:
    """Bookings per client: skewed (many short therapies, a few long ones), summing to the size."""
    span_days = size.history_days + size.future_days
    cap = max(1, int(span_days / 3.5))
    weights = [rng.gammavariate(1.3, 1.0) for _ in range(size.clients)]
    scale = size.bookings / sum(weights)
    counts = [min(cap, max(1, round(w * scale))) for w in weights]
    total = sum(counts)
    while total != size.bookings:
        index = rng.randrange(size.clients)
        if total > size.bookings and counts[index] > 1:
            counts[index] -= 1
            total -= 1
        elif total < size.bookings and counts[index] < cap:
            counts[index] += 1
            total += 1
    return counts


def _session_starts(rng: random.Random, size: DemoSize, n: int, client: Client) -> list[int]:
    """Start minutes of one client's sessions: a weekly or fortnightly habit at their usual time."""
    interval = rng.choice((7.0, 7.0, 7.0, 10.0, 14.0, 14.0))
    low = -size.history_days + math.ceil((n - 1) * 3.5)
    high = size.future_days - 1
    active = rng.random() < 0.45 and high >= max(low, 0)
    end = rng.randint(max(low, 0), high) if active else rng.randint(low, max(low, -1))
    if n > 1:
        interval = min(interval, (end + size.history_days) / (n - 1))
    starts = []
    for k in range(n):
        day = round(end - (n - 1 - k) * interval)
        minute = client.slot
        if rng.random() < 0.1:
            minute = min(20 * 60 + 30, max(9 * 60, minute + rng.choice((-60, 60, 120))))
        starts.append(day * DAY + minute)
    return starts


def _booked_minute(rng: random.Random, start: int, horizon: int) -> int:
    """When a session was booked (and paid): up to `horizon` minutes ahead, never after now.

    A session still to come was booked some time between `horizon` before it and now. With the
    sessions to come thinning out towards the horizon (fewer clients have booked that far), the
    bookings made each day stay as many as the sessions held each day: takings have no jump.
    """
    created = start - rng.randrange(60, horizon)
    if created > NOW - 30:
        created = rng.randrange(min(start - horizon, NOW - 31), NOW - 30)
    return created


def draw_sessions(
    size: DemoSize,
    seed: int,
    clients: list[Client],
    therapists: list[Therapist],
) -> tuple[Plan, list[int]]:
    """Draw every client's sessions (per-client order) and their first therapist.

    Returns the plan in client order and each client's first booking position.
    """
    rng = stream_rng(seed, "sessions")
    plan = Plan()
    plan.sessions = session_counts(rng, size)
    capacity = list_cumulative([t.capacity for t in therapists])
    horizon = size.future_days * DAY  # how far ahead sessions are booked
    offsets = []
    for client, n in zip(clients, plan.sessions, strict=True):
        offsets.append(len(plan.start))
        first_therapist = rng.choices(range(len(therapists)), cum_weights=capacity)[0]
        plan.current_therapist.append(first_therapist)
        for k, start in enumerate(_session_starts(rng, size, n, client)):
            online = client.online != (rng.random() < 0.1)
            plan.client.append(client.index)
            plan.therapist.append(first_therapist)
            plan.start.append(start)
            plan.created.append(_booked_minute(rng, start, horizon))
            plan.flags.append((ONLINE if online else 0) | (FIRST if k == 0 else 0))
    return plan, offsets


def list_cumulative(values: list[int]) -> list[int]:
    out, total = [], 0
    for value in values:
        total += value
        out.append(total)
    return out


def in_booking_order(plan: Plan) -> Plan:
    """The same plan ordered by the minute each booking was made (stable, so deterministic).

    numpy sorts the compact arrays in place of a million-element Python list.
    """
    order = numpy.argsort(_view(plan.created), kind="stable")
    ordered = Plan(
        sessions=plan.sessions, current_therapist=plan.current_therapist, transfers=plan.transfers
    )
    for name in ("client", "therapist", "start", "created", "flags"):
        source = getattr(plan, name)
        target = array(source.typecode)
        target.frombytes(_view(source)[order].tobytes())
        setattr(ordered, name, target)
    return ordered


def _view(values: array) -> numpy.ndarray:
    kind = "u" if values.typecode.isupper() else "i"
    return numpy.frombuffer(values, dtype=f"{kind}{values.itemsize}")


def settle_statuses(plan: Plan, seed: int, therapist_count: int) -> None:
    """Statuses, refunds and the per-therapist and per-pair tallies the caches are built from."""
    rng = stream_rng(seed, "statuses")
    plan.stats = [[0, 0, 0, 0, 0] for _ in range(therapist_count)]
    plan.status = array("b", bytes(len(plan)))
    plan.refund = array("b", bytes(len(plan)))
    for rank in range(len(plan)):
        start, t, c = plan.start[rank], plan.therapist[rank], plan.client[rank]
        status = _draw_status(rng, start)
        if status == COMPLETED and rng.random() < 0.06:
            plan.flags[rank] |= MOVED
        if status == CANCELLED:
            if rng.random() < 0.2:
                plan.flags[rank] |= BY_HOST
            plan.refund[rank] = _refund_kind(plan, seed, rank)
        plan.status[rank] = status
        _tally(plan, t, c, start, status)


def _draw_status(rng: random.Random, start: int) -> int:
    u = rng.random()
    if start < NOW:
        return COMPLETED if u < 0.80 else CANCELLED if u < 0.93 else NO_SHOW
    return CONFIRMED if u < 0.86 else RESCHEDULED if u < 0.92 else CANCELLED


def _refund_kind(plan: Plan, seed: int, rank: int) -> int:
    """Full refund when the therapist cancelled or the client gave a day's notice; none otherwise."""
    start, created = plan.start[rank], plan.created[rank]
    cancelled = cancel_minute(seed, rank, created, start)
    if not plan.flags[rank] & BY_HOST and start - cancelled < DAY:
        return NO_REFUND
    if cancelled >= NOW - 3 * DAY:
        return INITIATED
    return FAILED if mix(seed, rank, 12) % 25 == 0 else PROCESSED


def _tally(plan: Plan, t: int, c: int, start: int, status: int) -> None:
    stats = plan.stats[t]
    stats[0] += 1
    if status == CANCELLED:
        stats[2] += 1
    elif status == NO_SHOW:
        stats[3] += 1
    else:
        stats[1] += 1
    if start >= NOW and status in (CONFIRMED, RESCHEDULED):
        stats[4] += 1
    pair = plan.pairs.get((t, c))
    if pair is None:
        pair = plan.pairs[(t, c)] = [0, None]
    pair[0] = (pair[0] or 0) + 1
    if status == COMPLETED and (pair[1] is None or start > pair[1]):
        pair[1] = start
