"""The booking counters the consistency check compares: the dashboard stats, and
`therapists.sessions_booked`, reported with how it was counted and repaired only under the
definition an admin chose (#14 item 5). Internal to the consistency check."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from backoffice.services.therapists import consistency_checks as checks
from backoffice.services.therapists.consistency_finding import Finding, finding, unrepairable
from backoffice.services.therapists.counters import (
    SESSIONS_BOOKED_DEFINITIONS,
    Counts,
    refresh_counters,
)


def counter_findings(snap: checks.Snapshot) -> Iterator[Finding]:
    for therapist_id in sorted(snap.therapists):
        counts = snap.counts.get(therapist_id, Counts())
        for counter in checks.counter_differences(snap, therapist_id):
            if counter == "sessions_booked":
                yield _sessions_booked(snap, therapist_id, counts)
                continue
            yield finding(
                f"counter_differs:{therapist_id}:{counter}",
                therapist_id,
                f"Therapist {therapist_id}'s {counter.replace('_', ' ')} disagree with their "
                f"{counts.total} bookings.",
                "Count the bookings again and store the result.",
                partial(refresh_counters, therapist_ids=[therapist_id], now=snap.now),
            )


def _sessions_booked(snap: checks.Snapshot, therapist_id: str, counts: Counts) -> Finding:
    """The stored value, what the bookings give and how that was counted (#14 item 5)."""
    key = f"counter_differs:{therapist_id}:sessions_booked"
    stored = snap.therapists[therapist_id].sessions_booked or 0
    said = f"Therapist {therapist_id}'s sessions booked is {stored}"
    chosen = snap.sessions_booked_counts
    if chosen is None:
        each = [f"{d.description} ({d.count(counts)})" for d in SESSIONS_BOOKED_DEFINITIONS]
        return unrepairable(
            key,
            therapist_id,
            f"{said}, which is neither {' nor '.join(each)}.",
            "Choose what sessions booked counts in this clinic; then it can be repaired.",
        )
    value = chosen.count(counts)
    return finding(
        key,
        therapist_id,
        f"{said}; counting {chosen.description}, as chosen for this clinic, gives {value}.",
        f"Store {value}.",
        partial(refresh_counters, therapist_ids=[therapist_id], now=snap.now),
    )
