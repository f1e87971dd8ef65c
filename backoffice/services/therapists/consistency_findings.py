"""The findings of the therapist consistency check: each disagreement, the sentence that explains it,
and the fix that repairs it.

Internal to `therapists.consistency`. Fixes copy the truth (`records.shared_fields`) into whatever
disagrees, create what is missing, and never delete anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.models import Therapist, User
from backoffice.models.backoffice import TherapistApplication
from backoffice.models.therapist_status import TherapistStatusChange
from backoffice.services import clock
from backoffice.services.therapists import consistency_checks as checks
from backoffice.services.therapists import logins, records
from backoffice.services.therapists.consistency_counters import counter_findings
from backoffice.services.therapists.consistency_finding import Finding, finding, unrepairable
from backoffice.services.therapists.records import SharedFields


def findings(snap: checks.Snapshot) -> list[Finding]:
    """Every disagreement in the snapshot, each with the fix that repairs it."""
    return [
        *_unapplied(snap),
        *_missing_therapists(snap),
        *_therapist_rows(snap),
        *_users(snap),
        *_staff_missing(snap),
        *_staff_disagreeing(snap),
        *counter_findings(snap),
    ]


def _unapplied(snap: checks.Snapshot) -> Iterator[Finding]:
    for app in snap.unapplied:
        yield finding(
            f"application_not_applied:{app.application_id}",
            None,
            f"Application {app.application_id} ({app.fields.name}) is approved, but no therapist "
            "was recorded for it.",
            "Create the therapist (or link the one with that email), their user and staff account.",
            partial(_apply_application, app=app),
        )


def _apply_application(uow: UnitOfWork, app: checks.AppFacts) -> None:
    owner = records.email_owner(uow, app.fields.email or "", except_therapist=None)
    therapist_id = owner[0] if owner else records.save_therapist(uow, None, app.fields)
    _ensure_staff(uow, therapist_id, app.fields)
    uow.session.execute(
        sa.update(TherapistApplication)
        .where(TherapistApplication.id == app.application_id)
        .values(therapist_id=therapist_id)
        .execution_options(synchronize_session=False)
    )


def _missing_therapists(snap: checks.Snapshot) -> Iterator[Finding]:
    named: dict[str, tuple[str, SharedFields]] = {}
    for s in snap.staff:
        if s.therapist_id:
            named.setdefault(
                s.therapist_id,
                (f"staff account {s.login_role}", SharedFields(s.display_name, s.email)),
            )
    for u in snap.users:
        named.setdefault(
            u.therapist_id,
            (f"user {u.id} ({u.username})", SharedFields(u.full_name or u.name, None)),
        )
    for therapist_id, app in snap.applications.items():
        named[therapist_id] = (f"application {app.application_id}", app.fields)
    for therapist_id, (where, fields) in sorted(named.items()):
        if therapist_id in snap.therapists:
            continue
        from_application = therapist_id in snap.applications
        yield finding(
            f"missing_therapist:{therapist_id}",
            therapist_id,
            f"Therapist {therapist_id} is named by {where}, but there is no such therapist.",
            f"Restore therapist {therapist_id} ({fields.name}) from {where}"
            + ("." if from_application else ", deactivated until an admin reviews it."),
            partial(_restore, therapist_id=therapist_id, fields=fields, approved=from_application),
        )


def _restore(uow: UnitOfWork, therapist_id: str, fields: SharedFields, approved: bool) -> None:
    records.save_therapist(uow, therapist_id, fields)
    if not approved:
        uow.session.execute(
            sa.insert(TherapistStatusChange).values(
                therapist_id=therapist_id,
                is_active=False,
                reason="restored by the consistency repair; review before reactivating",
            )
        )


def _therapist_rows(snap: checks.Snapshot) -> Iterator[Finding]:
    for therapist_id in sorted(snap.therapists):
        for column, value in checks.therapist_differences(snap, therapist_id).items():
            yield finding(
                f"therapist_differs:{therapist_id}:{column}",
                therapist_id,
                f"Therapist {therapist_id}'s {column.replace('_', ' ')} is "
                f"'{getattr(snap.therapists[therapist_id], _FACT[column])}' but their approved "
                f"application says '{value}'.",
                "Copy the application's value to the therapist.",
                partial(_set_therapist, therapist_id=therapist_id, column=column, value=value),
            )
        if not snap.users_of(therapist_id):
            yield finding(
                f"therapist_without_user:{therapist_id}",
                therapist_id,
                f"Therapist {therapist_id} ({snap.therapists[therapist_id].name}) has no user.",
                "Create (or link) their user from the therapist's details.",
                partial(_ensure_user, therapist_id=therapist_id),
            )


_FACT = {
    "name": "name",
    "contact_info": "email",
    "specialization": "specialization",
    "capacity": "capacity",
}


def _set_therapist(uow: UnitOfWork, therapist_id: str, column: str, value: object) -> None:
    records.lock_therapists(uow, [therapist_id])
    uow.session.execute(
        sa.update(Therapist)
        .where(Therapist.therapist_id == therapist_id)
        .values({column: value})
        .execution_options(synchronize_session=False)
    )


def _ensure_user(uow: UnitOfWork, therapist_id: str) -> int:
    fields = records.truth_fields(uow, therapist_id)
    assert fields is not None, therapist_id
    return records.ensure_user(uow, therapist_id=therapist_id, fields=fields)


def _users(snap: checks.Snapshot) -> Iterator[Finding]:
    for user in snap.users:
        truth = snap.truth(user.therapist_id)
        if truth is None:
            continue
        if wrong := checks.user_differences(user, truth):
            said = ", ".join(f"{c.replace('_', ' ')} '{getattr(user, c) or ''}'" for c in wrong)
            yield finding(
                f"user_differs:{user.id}",
                user.therapist_id,
                f"User {user.id} of therapist {user.therapist_id} has {said}, not what the "
                f"therapist's record says ({truth.name}).",
                "Copy the therapist's name to the user.",
                partial(_set_user, user_id=user.id, values=wrong),
            )
        if checks.user_name_differs(user, truth):
            yield unrepairable(
                f"user_login_differs:{user.id}",
                user.therapist_id,
                f"User {user.id} of therapist {user.therapist_id} logs in to the website as "
                f"{user.username}, not as {truth.email}.",
                "A website login is the website's to rename: change it there if it is wrong.",
            )


def _set_user(uow: UnitOfWork, user_id: int, values: dict[str, object]) -> None:
    uow.session.execute(
        sa.update(User)
        .where(User.id == user_id)
        .values(updated_at=clock.clinic_timestamp(), **values)
        .execution_options(synchronize_session=False)
    )


def _staff_missing(snap: checks.Snapshot) -> Iterator[Finding]:
    for therapist_id in sorted(snap.applications):
        if therapist_id in snap.therapists and not snap.staff_of(therapist_id):
            yield finding(
                f"staff_missing:{therapist_id}",
                therapist_id,
                f"Therapist {therapist_id} was approved but has no staff account.",
                "Create their staff account (without a login).",
                partial(_ensure_staff, therapist_id=therapist_id, fields=None),
            )


def _staff_disagreeing(snap: checks.Snapshot) -> Iterator[Finding]:
    for staff in snap.staff:
        truth = snap.truth(staff.therapist_id) if staff.therapist_id else None
        if truth is None:
            continue
        if not snap.user_linked(staff.user_id, staff.therapist_id):
            yield finding(
                f"staff_user_link:{staff.id}",
                staff.therapist_id,
                f"Staff account {staff.login_role} points to user {staff.user_id}, which is not "
                f"a user of therapist {staff.therapist_id}.",
                "Link the staff account to the therapist's own user.",
                partial(_relink_staff, staff=staff, user_id=None),
            )
        elif wrong := checks.staff_differences(staff, truth):
            yield finding(
                f"staff_differs:{staff.id}",
                staff.therapist_id,
                f"Staff account {staff.login_role} has the {' and '.join(wrong)} "
                f"'{staff.display_name}'{f' / {staff.email}' if staff.email else ''}, "
                f"not {truth.name}{f' / {truth.email}' if truth.email else ''}.",
                "Copy the therapist's name and email to the staff account.",
                partial(_relink_staff, staff=staff, user_id=staff.user_id),
            )


def _ensure_staff(uow: UnitOfWork, therapist_id: str, fields: SharedFields | None) -> None:
    fields = fields or records.truth_fields(uow, therapist_id)
    assert fields is not None, therapist_id
    user_id = records.ensure_user(uow, therapist_id=therapist_id, fields=fields)
    login = logins.staff_login_of(uow, therapist_id) or logins.free_login_name(uow, fields.name)
    logins.link_staff(uow, login=login, therapist_id=therapist_id, fields=fields, user_id=user_id)


def _relink_staff(uow: UnitOfWork, staff: checks.StaffFacts, user_id: int | None) -> None:
    assert staff.therapist_id is not None
    fields = records.truth_fields(uow, staff.therapist_id)
    assert fields is not None
    if user_id is None:
        user_id = records.ensure_user(uow, therapist_id=staff.therapist_id, fields=fields)
    logins.link_staff(
        uow, login=staff.login_role, therapist_id=staff.therapist_id, fields=fields, user_id=user_id
    )
