"""What a workflow changed, so that every page showing it refreshes (Anki's `OpChanges`).

A workflow's result type declares `changes`; the window publishes it once the workflow has
committed, and each page reloads what it shows of the areas touched. A read declares nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Area(StrEnum):
    """A kind of data a page shows and a workflow may change."""

    APPLICATIONS = "therapist applications"
    THERAPISTS = "therapists"
    STAFF = "staff accounts"
    CLIENTS = "clients"
    APPOINTMENTS = "appointments"
    BOOKINGS = "bookings"
    PAYMENTS = "payments"
    REFUNDS = "refunds"
    NOTES = "session notes"
    NOTE_REVIEWS = "note reviews"
    ADDITIONAL_NOTES = "additional notes"


@dataclass(frozen=True)
class Changes:
    """The areas one workflow changed; empty for a read."""

    areas: frozenset[Area] = frozenset()

    @classmethod
    def of(cls, *areas: Area) -> Changes:
        return cls(frozenset(areas))

    def touches(self, *areas: Area) -> bool:
        """True when any of `areas` changed."""
        return not self.areas.isdisjoint(areas)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.areas | other.areas)

    def __bool__(self) -> bool:
        return bool(self.areas)


def changes_of(result: object) -> Changes:
    """What a workflow's result says it changed (its type's `changes`); nothing for anything else."""
    changes = getattr(result, "changes", None)
    return changes if isinstance(changes, Changes) else Changes()
