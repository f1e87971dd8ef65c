"""Therapist applications: submit, reject, ask for more information, resubmit; and the steps every
decision shares (approval, in `approval`, takes them from here).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError, NotFound, ValidationError
from backoffice.models.backoffice import TherapistApplication
from backoffice.services import audit
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.therapists.reads import APPLICATION_SUBJECT, to_application
from backoffice.services.therapists.types import Application, ApplicationDraft, DecisionResult
from backoffice.values import day_text

P = Permission


def submit_application(uow: UnitOfWork, actor: Actor, *, draft: ApplicationDraft) -> Application:
    """Record a new application (received by email or on paper) in the pending queue.

    Permission: DECIDE_APPLICATIONS. One transaction; audit "therapist_application.submitted".
    Raises PermissionDenied, ValidationError (no name, no valid email, negative numbers).
    """
    require(actor, P.DECIDE_APPLICATIONS)
    check_draft(draft)
    app = TherapistApplication(state="pending", **_columns(draft))
    uow.session.add(app)
    uow.session.flush()
    audit_step(uow, app, "submitted", None)
    uow.commit()
    return to_application(app)


def reject_application(
    uow: UnitOfWork, actor: Actor, *, application_id: int, reason: str
) -> DecisionResult:
    """Reject a pending application with a reason the applicant can be told.

    Permission: DECIDE_APPLICATIONS. One transaction; audit "therapist_application.rejected".
    Raises PermissionDenied, NotFound, ValidationError (no reason), ConflictError (already decided).
    """
    require(actor, P.DECIDE_APPLICATIONS)
    reason = _required(reason, "Give the reason for rejecting the application.")
    app = locked_application(uow, application_id)
    require_pending(app, "reject")
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
    app = locked_application(uow, application_id)
    require_pending(app, "send back")
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
    app = locked_application(uow, application_id)
    if app.state != "needs_information":
        raise ConflictError(
            f"Application {application_id} is {app.state.replace('_', ' ')}, not waiting for "
            "information; only an application sent back can be resubmitted."
        )
    if draft is not None:
        check_draft(draft)
        for column, value in _columns(draft).items():
            setattr(app, column, value)
    app.state = "pending"
    audit_step(uow, app, "resubmitted", note)
    now = _db_now(uow)
    uow.commit()
    return DecisionResult(app.id, app.state, actor.login_role, now, note)


def locked_application(uow: UnitOfWork, application_id: int) -> TherapistApplication:
    app = uow.session.scalars(
        sa.select(TherapistApplication)
        .where(TherapistApplication.id == application_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if app is None:
        raise NotFound(f"There is no therapist application number {application_id}.")
    return app


def require_pending(app: TherapistApplication, verb: str) -> None:
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
    decide(uow, actor, app, state, message)
    audit_step(uow, app, state, message)
    uow.commit()
    assert app.decided_at is not None
    return DecisionResult(app.id, state, actor.login_role, app.decided_at, message)


def decide(
    uow: UnitOfWork, actor: Actor, app: TherapistApplication, state: str, message: str | None
) -> None:
    app.state = state
    app.decided_by = actor.login_role
    app.decided_at = _db_now(uow)
    app.decision_message = message
    uow.session.flush()


def audit_step(
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


def check_draft(draft: ApplicationDraft) -> None:
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
        "registration_expires_on": draft.registration_expires_on,
        "specialisations": list(draft.specialisations),
        "bio": draft.bio,
        "years_of_experience": draft.years_of_experience,
        "languages": list(draft.languages),
        "documents": list(draft.documents),
        "photo": draft.photo,
        "weekly_capacity": draft.weekly_capacity,
    }
