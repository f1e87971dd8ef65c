"""Therapist applications: submit, approve, reject, ask for more information, resubmit.

Approval writes `therapists`, `users` and the staff account in one transaction from one rule
(`records.shared_fields`), so that the tables agree field by field.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError, NotFound, ValidationError
from backoffice.models.backoffice import TherapistApplication
from backoffice.services import audit
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.therapists import caseloads, logins, records
from backoffice.services.therapists.reads import (
    APPLICATION_SUBJECT,
    draft_of,
    to_application,
)
from backoffice.services.therapists.types import (
    Application,
    ApplicationDraft,
    ApprovalResult,
    DecisionResult,
)
from backoffice.values import day_text

P = Permission


def submit_application(uow: UnitOfWork, actor: Actor, *, draft: ApplicationDraft) -> Application:
    """Record a new application (received by email or on paper) in the pending queue.

    Permission: DECIDE_APPLICATIONS. One transaction; audit "therapist_application.submitted".
    Raises PermissionDenied, ValidationError (no name, no valid email, negative numbers).
    """
    require(actor, P.DECIDE_APPLICATIONS)
    _check_draft(draft)
    app = TherapistApplication(state="pending", **_columns(draft))
    uow.session.add(app)
    uow.session.flush()
    _audit_step(uow, app, "submitted", None)
    uow.commit()
    return to_application(app)


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
    database login too when `login_password` is given; a welcome notification.

    Permission: DECIDE_APPLICATIONS. One transaction; audit "therapist_application.approved".
    Raises PermissionDenied, NotFound, ValidationError (bad login name or password, incomplete
    application), ConflictError (already decided, or the email belongs to another therapist).
    """
    require(actor, P.DECIDE_APPLICATIONS)
    app = _locked(uow, application_id)
    _require_pending(app, "approve")
    draft = draft_of(app)
    _check_draft(draft)
    fields = records.shared_fields(draft)
    records.lock_email(uow, draft.email)
    owner = records.email_owner(uow, draft.email, except_therapist=app.therapist_id)
    if owner is not None:
        raise ConflictError(
            f"The email {draft.email} already belongs to {owner[1]} (therapist {owner[0]}); "
            "approving would create a second therapist for one person."
        )
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
        records.set_status(
            uow, therapist_id, active=True, reason=f"application {application_id} approved"
        )
    records.ensure_dashboard_stats(uow, therapist_id)
    _decide(uow, actor, app, "approved", None)
    app.therapist_id = therapist_id
    records.notify(
        uow,
        [user_id],
        kind="application_approved",
        title="Your application was approved",
        message=f"Welcome, {fields.name}: you are therapist {therapist_id}"
        + (f"; your back-office user name is {login}." if login_password else "."),
        related_id=therapist_id,
    )
    details = {
        "therapist_id": therapist_id,
        "user_id": user_id,
        "staff_login": login,
        "login_created": login_password is not None,
    }
    _audit_step(uow, app, "approved", None, **details)
    uow.commit()
    assert app.decided_at is not None
    return ApprovalResult(
        application_id=app.id,
        therapist_id=therapist_id,
        therapist_name=fields.name,
        email=draft.email,
        user_id=user_id,
        staff_account_id=staff_id,
        login_role=login,
        login_created=login_password is not None,
        approved_by=actor.login_role,
        approved_at=app.decided_at,
    )


def reject_application(
    uow: UnitOfWork, actor: Actor, *, application_id: int, reason: str
) -> DecisionResult:
    """Reject a pending application with a reason the applicant can be told.

    Permission: DECIDE_APPLICATIONS. One transaction; audit "therapist_application.rejected".
    Raises PermissionDenied, NotFound, ValidationError (no reason), ConflictError (already decided).
    """
    require(actor, P.DECIDE_APPLICATIONS)
    reason = _required(reason, "Give the reason for rejecting the application.")
    app = _locked(uow, application_id)
    _require_pending(app, "reject")
    return _finish_decision(uow, actor, app, "rejected", reason)


def request_information(
    uow: UnitOfWork, actor: Actor, *, application_id: int, message: str
) -> DecisionResult:
    """Send a pending application back: the applicant is asked for what `message` says.

    Permission: DECIDE_APPLICATIONS. One transaction; audit "therapist_application.needs_information".
    Raises PermissionDenied, NotFound, ValidationError (no message), ConflictError (already decided).
    """
    require(actor, P.DECIDE_APPLICATIONS)
    message = _required(message, "Write what the applicant needs to send.")
    app = _locked(uow, application_id)
    _require_pending(app, "send back")
    return _finish_decision(uow, actor, app, "needs_information", message)


def resubmit_application(
    uow: UnitOfWork,
    actor: Actor,
    *,
    application_id: int,
    draft: ApplicationDraft | None = None,
    note: str | None = None,
) -> DecisionResult:
    """The applicant answered: the application (with `draft`'s changes) goes back to pending.

    Permission: DECIDE_APPLICATIONS. One transaction; audit "therapist_application.resubmitted".
    Raises PermissionDenied, NotFound, ValidationError, ConflictError (not waiting for information).
    """
    require(actor, P.DECIDE_APPLICATIONS)
    app = _locked(uow, application_id)
    if app.state != "needs_information":
        raise ConflictError(
            f"Application {application_id} is {app.state.replace('_', ' ')}, not waiting for "
            "information; only an application sent back can be resubmitted."
        )
    if draft is not None:
        _check_draft(draft)
        for column, value in _columns(draft).items():
            setattr(app, column, value)
    app.state = "pending"
    _audit_step(uow, app, "resubmitted", note)
    now = _db_now(uow)
    uow.commit()
    return DecisionResult(app.id, app.state, actor.login_role, now, note)


def _locked(uow: UnitOfWork, application_id: int) -> TherapistApplication:
    app = uow.session.scalars(
        sa.select(TherapistApplication)
        .where(TherapistApplication.id == application_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if app is None:
        raise NotFound(f"There is no therapist application number {application_id}.")
    return app


def _require_pending(app: TherapistApplication, verb: str) -> None:
    if app.state == "pending":
        return
    when = f" on {day_text(app.decided_at)}" if app.decided_at else ""
    who = f" by {app.decided_by}" if app.decided_by else ""
    if app.state == "needs_information":
        raise ConflictError(
            f"Application {app.id} is waiting for information from the applicant (asked{who}"
            f"{when}); record their answer before you {verb} it."
        )
    made = f" (therapist {app.therapist_id})" if app.therapist_id else ""
    raise ConflictError(f"Application {app.id} was already {app.state}{who}{when}{made}.")


def _finish_decision(
    uow: UnitOfWork, actor: Actor, app: TherapistApplication, state: str, message: str
) -> DecisionResult:
    _decide(uow, actor, app, state, message)
    _audit_step(uow, app, state, message)
    uow.commit()
    assert app.decided_at is not None
    return DecisionResult(app.id, state, actor.login_role, app.decided_at, message)


def _decide(
    uow: UnitOfWork, actor: Actor, app: TherapistApplication, state: str, message: str | None
) -> None:
    app.state = state
    app.decided_by = actor.login_role
    app.decided_at = _db_now(uow)
    app.decision_message = message
    uow.session.flush()


def _audit_step(
    uow: UnitOfWork, app: TherapistApplication, step: str, message: str | None, **details: object
) -> None:
    audit.record(
        uow,
        f"therapist_application.{step}",
        subject_type=APPLICATION_SUBJECT,
        subject_id=app.id,
        details={"applicant": app.full_name, "email": app.email, "message": message, **details},
    )


def _db_now(uow: UnitOfWork) -> dt.datetime:
    value: dt.datetime = uow.session.execute(sa.select(sa.func.now())).scalar_one()
    return value


def _required(text: str | None, sentence: str) -> str:
    if text is None or not text.strip():
        raise ValidationError(sentence)
    return text.strip()


def _check_draft(draft: ApplicationDraft) -> None:
    _required(draft.full_name, "The application needs the applicant's full name.")
    email = draft.email.strip() if draft.email else ""
    if "@" not in email or " " in email or email.startswith("@") or email.endswith("@"):
        raise ValidationError(f"'{draft.email}' is not an email address.")
    for label, number in (
        ("years of experience", draft.years_of_experience),
        ("weekly capacity", draft.weekly_capacity),
    ):
        if number is not None and number < 0:
            raise ValidationError(f"The {label} cannot be negative.")


def _columns(draft: ApplicationDraft) -> dict[str, object]:
    return {
        "full_name": draft.full_name.strip(),
        "email": draft.email.strip(),
        "phone": draft.phone,
        "registration_number": draft.registration_number,
        "registration_council": draft.registration_council,
        "specialisations": list(draft.specialisations),
        "bio": draft.bio,
        "years_of_experience": draft.years_of_experience,
        "languages": list(draft.languages),
        "documents": list(draft.documents),
        "photo": draft.photo,
        "weekly_capacity": draft.weekly_capacity,
    }
