"""What the therapist workflows take and return: frozen values, never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from backoffice.services.changes import Area, Changes


@dataclass(frozen=True)
class ApplicationDraft:
    """An application as submitted (or resubmitted) by a therapist who wants to join the clinic."""

    full_name: str
    email: str
    phone: str | None = None
    registration_number: str | None = None
    registration_council: str | None = None
    registration_expires_on: dt.date | None = None
    specialisations: tuple[str, ...] = ()
    bio: str | None = None
    years_of_experience: int | None = None
    languages: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    photo: str | None = None
    weekly_capacity: int | None = None


@dataclass(frozen=True)
class ApplicationRow:
    """One line of the applications queue."""

    application_id: int
    full_name: str
    email: str
    state: str
    submitted_at: dt.datetime
    specialisations: tuple[str, ...]
    years_of_experience: int | None
    weekly_capacity: int | None
    decided_by: str | None
    decided_at: dt.datetime | None


@dataclass(frozen=True)
class Application:
    """An application in full, with its documents and the last decision taken on it."""

    application_id: int
    state: str
    draft: ApplicationDraft
    submitted_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_message: str | None
    therapist_id: str | None

    @property
    def full_name(self) -> str:
        return self.draft.full_name

    @property
    def email(self) -> str:
        return self.draft.email


@dataclass(frozen=True)
class DecisionRow:
    """One decision in an application's history (from the audit trail)."""

    application_id: int
    action: str  # "approved", "rejected", "needs_information", "resubmitted", "submitted"
    actor: str
    occurred_at: dt.datetime
    message: str | None
    applicant: str | None


@dataclass(frozen=True)
class ApprovalResult:
    changes: ClassVar[Changes] = Changes.of(Area.APPLICATIONS, Area.THERAPISTS, Area.STAFF)

    application_id: int
    therapist_id: str
    therapist_name: str
    email: str
    user_id: int
    staff_account_id: int
    login_role: str
    login_created: bool
    approved_by: str
    approved_at: dt.datetime


@dataclass(frozen=True)
class DecisionResult:
    changes: ClassVar[Changes] = Changes.of(Area.APPLICATIONS)

    application_id: int
    state: str
    decided_by: str
    decided_at: dt.datetime
    message: str | None


@dataclass(frozen=True)
class TherapistRow:
    """A therapist as the admin chooses one: capacity counts clients with sessions still to come."""

    therapist_id: str
    name: str
    email: str | None
    capacity: int
    clients: int  # every client assigned to them
    active_clients: int  # assigned, with a session booked from now on
    is_active: bool
    registration_expires_on: dt.date | None = None  # the current registration's
    registration_expired: bool = False  # it has expired: they receive no clients

    @property
    def remaining_capacity(self) -> int:
        return self.capacity - self.active_clients


@dataclass(frozen=True)
class ReactivatedTherapist(TherapistRow):
    """The therapist `reactivate_therapist` made active again, as they now stand."""

    changes: ClassVar[Changes] = Changes.of(Area.THERAPISTS)


@dataclass(frozen=True)
class DeactivationResult:
    changes: ClassVar[Changes] = Changes.of(Area.THERAPISTS)

    therapist_id: str
    name: str
    reason: str
    clients: int
    active_clients: int
    future_appointments: int

    @property
    def caseload_to_transfer(self) -> bool:
        """True when clients are still assigned: the admin is offered a caseload transfer."""
        return self.clients > 0


@dataclass(frozen=True)
class LoginResult:
    changes: ClassVar[Changes] = Changes.of(Area.STAFF)

    therapist_id: str
    login_role: str


@dataclass(frozen=True)
class Inconsistency:
    """One disagreement between therapists, users, staff accounts and approved applications."""

    key: str  # stable: "<kind>:<subject>", what repair_inconsistency takes
    kind: str
    therapist_id: str | None
    description: str  # a sentence for a person
    repair: str  # what a repair will do, in a sentence
    repairable: bool = True


@dataclass(frozen=True)
class ConsistencyReport:
    issues: tuple[Inconsistency, ...]
    therapists_checked: int

    @property
    def is_consistent(self) -> bool:
        return not self.issues

    def kinds(self) -> frozenset[str]:
        return frozenset(issue.kind for issue in self.issues)


@dataclass(frozen=True)
class RepairResult:
    changes: ClassVar[Changes] = Changes.of(Area.THERAPISTS, Area.STAFF)

    repaired: tuple[Inconsistency, ...]
    remaining: tuple[Inconsistency, ...]


@dataclass(frozen=True)
class CounterDefinitionResult:
    """What an admin chose `therapists.sessions_booked` to count."""

    changes: ClassVar[Changes] = Changes.of(Area.THERAPISTS)

    definition: str  # the key: "all_bookings", "not_cancelled"
    description: str  # "every booking", as a sentence says it
