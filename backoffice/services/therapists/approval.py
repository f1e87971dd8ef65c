"""Approving a therapist application: the therapist, their `users` row, staff account and login.

Approval writes `therapists`, `users` and the staff account in one transaction from one rule
(`records.shared_fields`), so that the tables agree field by field.
"""

from __future__ import annotations

from dataclasses import dataclass

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError
from backoffice.models.backoffice import TherapistApplication
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.therapists import caseloads, logins, records, registrations
from backoffice.services.therapists.applications import (
    audit_step,
    check_draft,
    decide,
    locked_application,
    require_pending,
)
from backoffice.services.therapists.reads import draft_of
from backoffice.services.therapists.records import SharedFields
from backoffice.services.therapists.types import ApprovalResult


@dataclass(frozen=True)
class _Accounts:
    """What approval made for the therapist."""

    therapist_id: str
    user_id: int
    staff_account_id: int
    login: str
    login_created: bool


def approve_application(
    uow: UnitOfWork,
    actor: Actor,
    *,
    application_id: int,
    login_name: str | None = None,
    login_password: str | None = None,
) -> ApprovalResult:
    """Approve a pending application: the therapist (new id, or the one it names), their `users` row
    and staff account, all with the application's name, email, specialisations and capacity; a
    database login too when `login_password` is given (a temporary password: see
    `create_therapist_login`); a welcome notification. The application's registration (body,
    number, expiry) becomes the therapist's current one; an expired one is refused
    (`registrations.require_unexpired`).

    Permission: DECIDE_APPLICATIONS. One transaction; audit "therapist_application.approved".
    Raises PermissionDenied, NotFound, ValidationError (bad login name or password, incomplete
    application, an expired registration), ConflictError (already decided, or the email belongs to another therapist).
    """
    require(actor, Permission.DECIDE_APPLICATIONS)
    app = locked_application(uow, application_id)
    require_pending(app, "approve")
    draft = draft_of(app)
    check_draft(draft)
    registrations.require_unexpired(
        draft.registration_expires_on, registrations.today(uow), f"{draft.full_name}'s"
    )
    fields = records.shared_fields(draft)
    _require_own_email(uow, draft.email, app.therapist_id)
    made = _make_accounts(uow, app, fields, login_name, login_password)
    decide(uow, actor, app, "approved", None)
    app.therapist_id = made.therapist_id
    _capture_registration(uow, app, made.therapist_id)
    _welcome(uow, made, fields, told_login=bool(login_password))
    audit_step(uow, app, "approved", None, **_details(made))
    uow.commit()
    return _result(app, made, fields, approved_by=actor.login_role)


def _require_own_email(uow: UnitOfWork, email: str, therapist_id: str | None) -> None:
    """One person, one therapist: the email may belong to no other therapist (locked meanwhile)."""
    records.lock_email(uow, email)
    owner = records.email_owner(uow, email, except_therapist=therapist_id)
    if owner is not None:
        raise ConflictError(
            f"The email {email} already belongs to {owner[1]} (therapist {owner[0]}); "
            "approving would create a second therapist for one person."
        )


def _make_accounts(
    uow: UnitOfWork,
    app: TherapistApplication,
    fields: SharedFields,
    login_name: str | None,
    login_password: str | None,
) -> _Accounts:
    """The therapist (reactivated if they were deactivated), their user, staff account and login."""
    therapist_id = records.save_therapist(uow, app.therapist_id, fields)
    user_id = records.ensure_user(uow, therapist_id=therapist_id, fields=fields)
    login = logins.login_for(uow, therapist_id, fields.name, login_name)
    logins.check_login(login, login_password)
    staff_id = logins.link_staff(
        uow, login=login, therapist_id=therapist_id, fields=fields, user_id=user_id
    )
    if login_password is not None:
        logins.create_login(uow, login=login, password=login_password)
    if caseloads.inactive_among(uow, [therapist_id]):
        records.set_status(uow, therapist_id, active=True, reason=f"application {app.id} approved")
    records.ensure_dashboard_stats(uow, therapist_id)
    return _Accounts(therapist_id, user_id, staff_id, login, login_password is not None)


def _capture_registration(uow: UnitOfWork, app: TherapistApplication, therapist_id: str) -> None:
    """The application's registration becomes the therapist's current one, when it names all
    three of body, number and expiry (an older application may not: an admin records it)."""
    if app.registration_council and app.registration_number and app.registration_expires_on:
        registrations.insert_registration(
            uow,
            therapist_id,
            app.registration_council,
            app.registration_number,
            app.registration_expires_on,
            application_id=app.id,
        )


def _welcome(uow: UnitOfWork, made: _Accounts, fields: SharedFields, *, told_login: bool) -> None:
    records.notify(
        uow,
        [made.user_id],
        kind="application_approved",
        title="Your application was approved",
        message=f"Welcome, {fields.name}: you are therapist {made.therapist_id}"
        + (f"; your back-office user name is {made.login}." if told_login else "."),
        related_id=made.therapist_id,
    )


def _details(made: _Accounts) -> dict[str, object]:
    return {
        "therapist_id": made.therapist_id,
        "user_id": made.user_id,
        "staff_login": made.login,
        "login_created": made.login_created,
    }


def _result(
    app: TherapistApplication, made: _Accounts, fields: SharedFields, *, approved_by: str
) -> ApprovalResult:
    assert app.decided_at is not None
    return ApprovalResult(
        application_id=app.id,
        therapist_id=made.therapist_id,
        therapist_name=fields.name,
        email=app.email,
        user_id=made.user_id,
        staff_account_id=made.staff_account_id,
        login_role=made.login,
        login_created=made.login_created,
        approved_by=approved_by,
        approved_at=app.decided_at,
    )
