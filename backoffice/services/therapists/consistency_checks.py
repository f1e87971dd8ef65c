"""What the consistency check compares: one snapshot of therapists, their `users` rows, staff accounts,
approved applications and booking counters, and the facts every one of them should agree on.

Internal to `therapists.consistency` (no permission check here). The rule of truth is
`records.shared_fields`: the approved application when there is one, else the therapist row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.models import Therapist, TherapistDashboardStats, User
from backoffice.models.backoffice import StaffAccount, TherapistApplication
from backoffice.services import clock
from backoffice.services.therapists.counters import (
    SESSIONS_BOOKED_DEFINITIONS,
    CounterDefinition,
    Counts,
    booking_counts,
    chosen_definition,
)
from backoffice.services.therapists.reads import draft_of
from backoffice.services.therapists.records import SharedFields, same_email, shared_fields


@dataclass(frozen=True)
class TherapistFacts:
    therapist_id: str
    name: str
    email: str | None
    specialization: str | None
    capacity: int | None
    sessions_booked: int | None


@dataclass(frozen=True)
class UserFacts:
    id: int
    username: str
    name: str
    full_name: str | None
    role: str | None
    therapist_id: str


@dataclass(frozen=True)
class StaffFacts:
    id: int
    login_role: str
    display_name: str
    email: str | None
    user_id: int | None
    therapist_id: str | None


@dataclass(frozen=True)
class AppFacts:
    application_id: int
    therapist_id: str | None
    fields: SharedFields


@dataclass(frozen=True)
class Snapshot:
    now: dt.datetime
    therapists: dict[str, TherapistFacts]
    applications: dict[str, AppFacts]  # therapist id -> its latest approved application
    unapplied: tuple[AppFacts, ...]  # approved, but no therapist id recorded
    users: tuple[UserFacts, ...]  # users rows linked to a therapist id
    staff: tuple[StaffFacts, ...]  # therapist staff accounts
    counts: dict[str, Counts]
    stats: dict[str, tuple[int, int, int, int]]  # total, confirmed, cancelled, no-shows
    sessions_booked_counts: CounterDefinition | None  # what an admin chose it counts, if anyone

    def truth(self, therapist_id: str) -> SharedFields | None:
        app = self.applications.get(therapist_id)
        if app is not None:
            return app.fields
        t = self.therapists.get(therapist_id)
        return None if t is None else SharedFields(t.name, t.email, t.specialization, t.capacity)

    def users_of(self, therapist_id: str) -> list[UserFacts]:
        return [u for u in self.users if u.therapist_id == therapist_id]

    def staff_of(self, therapist_id: str) -> list[StaffFacts]:
        return [s for s in self.staff if s.therapist_id == therapist_id]

    def user_linked(self, user_id: int | None, therapist_id: str | None) -> bool:
        return any(u.id == user_id and u.therapist_id == therapist_id for u in self.users)


def take_snapshot(uow: UnitOfWork) -> Snapshot:
    """Everything the consistency check compares, read once."""
    now = clock.clinic_now(uow)
    therapists = _therapists(uow)
    applications, unapplied = _approved_applications(uow)
    users = _therapist_users(uow)
    staff = _therapist_staff(uow)
    stats = _dashboard_stats(uow)
    counts = booking_counts(uow, now)
    chosen = chosen_definition(uow)
    return Snapshot(now, therapists, applications, unapplied, users, staff, counts, stats, chosen)


def _therapists(uow: UnitOfWork) -> dict[str, TherapistFacts]:
    t = Therapist
    statement = sa.select(
        t.therapist_id, t.name, t.contact_info, t.specialization, t.capacity, t.sessions_booked
    )
    return {
        r.therapist_id: TherapistFacts(
            r.therapist_id, r.name, r.contact_info, r.specialization, r.capacity, r.sessions_booked
        )
        for r in uow.session.execute(statement)
    }


def _therapist_users(uow: UnitOfWork) -> tuple[UserFacts, ...]:
    u = User
    statement = (
        sa.select(u.id, u.username, u.name, u.full_name, u.role, u.therapist_id)
        .where(u.therapist_id.is_not(None))
        .order_by(u.id)
    )
    return tuple(
        UserFacts(r.id, r.username, r.name, r.full_name, r.role, r.therapist_id)
        for r in uow.session.execute(statement)
    )


def _therapist_staff(uow: UnitOfWork) -> tuple[StaffFacts, ...]:
    s = StaffAccount
    statement = (
        sa.select(s.id, s.login_role, s.display_name, s.email, s.user_id, s.therapist_id)
        .where(s.role == "therapist")
        .order_by(s.id)
    )
    return tuple(
        StaffFacts(r.id, r.login_role, r.display_name, r.email, r.user_id, r.therapist_id)
        for r in uow.session.execute(statement)
    )


def _dashboard_stats(uow: UnitOfWork) -> dict[str, tuple[int, int, int, int]]:
    d = TherapistDashboardStats
    statement = sa.select(
        d.therapist_id, d.total_sessions, d.confirmed_sessions, d.cancelled_sessions, d.no_shows
    )
    return {
        r.therapist_id: (
            r.total_sessions or 0,
            r.confirmed_sessions or 0,
            r.cancelled_sessions or 0,
            r.no_shows or 0,
        )
        for r in uow.session.execute(statement)
    }


def _approved_applications(uow: UnitOfWork) -> tuple[dict[str, AppFacts], tuple[AppFacts, ...]]:
    a = TherapistApplication
    latest: dict[str, AppFacts] = {}
    unapplied: list[AppFacts] = []
    statement = (
        sa.select(a).where(a.state == "approved").order_by(a.decided_at.asc().nulls_first(), a.id)
    )
    for app in uow.session.scalars(statement):
        facts = AppFacts(app.id, app.therapist_id, shared_fields(draft_of(app)))
        if app.therapist_id is None:
            unapplied.append(facts)
        else:
            latest[app.therapist_id] = facts  # later decisions overwrite earlier ones
    return latest, tuple(unapplied)


def therapist_differences(snap: Snapshot, therapist_id: str) -> dict[str, object]:
    """Columns of the therapist row that disagree with their approved application: column -> value."""
    app, row = snap.applications.get(therapist_id), snap.therapists.get(therapist_id)
    if app is None or row is None:
        return {}
    f = app.fields
    wrong: dict[str, object] = {}
    if row.name != f.name:
        wrong["name"] = f.name
    if not same_email(row.email, f.email):
        wrong["contact_info"] = f.email
    if (row.specialization or None) != f.specialization:
        wrong["specialization"] = f.specialization
    if f.capacity is not None and row.capacity != f.capacity:
        wrong["capacity"] = f.capacity
    return wrong


def user_differences(user: UserFacts, truth: SharedFields) -> dict[str, object]:
    """Names of a linked `users` row that disagree with the truth: column -> what it should say."""
    wrong: dict[str, object] = {}
    if user.name != truth.name:
        wrong["name"] = truth.name
    if (user.full_name or "") != truth.name:
        wrong["full_name"] = truth.name
    return wrong


def user_name_differs(user: UserFacts, truth: SharedFields) -> bool:
    """The website login is an email other than the therapist's (compared only when both are)."""
    emails = "@" in user.username and truth.email and "@" in truth.email
    return bool(emails and not same_email(user.username, truth.email))


def staff_differences(staff: StaffFacts, truth: SharedFields) -> list[str]:
    wrong = []
    if staff.display_name != truth.name:
        wrong.append("name")
    if staff.email is not None and not same_email(staff.email, truth.email):
        wrong.append("email")
    return wrong


def counter_differences(snap: Snapshot, therapist_id: str) -> list[str]:
    """Which cached counters of this therapist disagree with the bookings."""
    counts = snap.counts.get(therapist_id, Counts())
    row = snap.therapists[therapist_id]
    wrong = []
    if (row.sessions_booked or 0) not in sessions_booked_values(snap, counts):
        wrong.append("sessions_booked")
    stats = snap.stats.get(therapist_id)
    # upcoming_bookings is left out: it goes stale by itself as time passes.
    if stats is not None and stats != (
        counts.total,
        counts.held,
        counts.cancelled,
        counts.no_shows,
    ):
        wrong.append("dashboard_stats")
    return wrong


def sessions_booked_values(snap: Snapshot, counts: Counts) -> set[int]:
    """What `sessions_booked` may say: under the chosen definition, or under any we know of."""
    definitions = (
        (snap.sessions_booked_counts,)
        if snap.sessions_booked_counts is not None
        else SESSIONS_BOOKED_DEFINITIONS
    )
    return {d.count(counts) for d in definitions}
