"""Reads of the therapist workflows: the applications queue, one application, the history of decisions,
therapists with their caseload. Each checks its permission first and changes nothing.
"""

from __future__ import annotations

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import NotFound, ValidationError
from backoffice.models.backoffice import APPLICATION_STATES, AuditEvent, TherapistApplication
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.therapists import caseloads
from backoffice.services.therapists.types import (
    Application,
    ApplicationDraft,
    ApplicationRow,
    DecisionRow,
    TherapistRow,
)

APPLICATION_SUBJECT = "therapist_application"
_DECISION_PREFIX = "therapist_application."


def list_applications(
    uow: UnitOfWork,
    actor: Actor,
    *,
    state: str | None = "pending",
    search: str | None = None,
    limit: int = 200,
) -> tuple[ApplicationRow, ...]:
    """The queue: applications in `state` (None: all), oldest first, matching `search` (name or email).

    Permission: VIEW_THERAPISTS. Read only. Raises PermissionDenied, ValidationError (unknown state).
    """
    require(actor, Permission.VIEW_THERAPISTS)
    if state is not None and state not in APPLICATION_STATES:
        raise ValidationError(f"There is no application state called '{state}'.")
    a = TherapistApplication
    statement = sa.select(a).order_by(a.submitted_at, a.id).limit(limit)
    if state is not None:
        statement = statement.where(a.state == state)
    if search and search.strip():
        pattern = f"%{search.strip()}%"
        statement = statement.where(sa.or_(a.full_name.ilike(pattern), a.email.ilike(pattern)))
    return tuple(_row(app) for app in uow.session.scalars(statement))


def get_application(uow: UnitOfWork, actor: Actor, *, application_id: int) -> Application:
    """One application in full, documents included.

    Permission: VIEW_THERAPISTS. Read only. Raises PermissionDenied, NotFound.
    """
    require(actor, Permission.VIEW_THERAPISTS)
    app = uow.session.get(TherapistApplication, application_id)
    if app is None:
        raise NotFound(f"There is no therapist application number {application_id}.")
    return to_application(app)


def list_decisions(
    uow: UnitOfWork, actor: Actor, *, application_id: int | None = None, limit: int = 200
) -> tuple[DecisionRow, ...]:
    """The history of decisions, newest first: every audited step, and decisions recorded on an
    application before the back-office audited them.

    Permission: VIEW_THERAPISTS. Read only. Raises PermissionDenied.
    """
    require(actor, Permission.VIEW_THERAPISTS)
    e = AuditEvent
    events = sa.select(e).where(e.subject_type == APPLICATION_SUBJECT)
    if application_id is not None:
        events = events.where(e.subject_id == str(application_id))
    rows = [
        _decision(event) for event in uow.session.scalars(events.order_by(e.id.desc()).limit(limit))
    ]
    covered = {(row.application_id, row.action) for row in rows}
    a = TherapistApplication
    decided = sa.select(a).where(a.decided_at.is_not(None), a.state != "pending")
    if application_id is not None:
        decided = decided.where(a.id == application_id)
    for app in uow.session.scalars(decided.order_by(a.decided_at.desc()).limit(limit)):
        if (app.id, app.state) not in covered and app.decided_at is not None:
            rows.append(
                DecisionRow(
                    app.id,
                    app.state,
                    app.decided_by or "",
                    app.decided_at,
                    app.decision_message,
                    app.full_name,
                )
            )
    rows.sort(key=lambda row: row.occurred_at, reverse=True)
    return tuple(rows[:limit])


def list_therapists(
    uow: UnitOfWork, actor: Actor, *, search: str | None = None, active_only: bool = False
) -> tuple[TherapistRow, ...]:
    """Therapists with capacity and caseload (clients with sessions to come), by name.

    Permission: VIEW_THERAPISTS. Read only. Raises PermissionDenied.
    """
    require(actor, Permission.VIEW_THERAPISTS)
    rows = caseloads.therapist_rows(uow, search=search)
    return tuple(row for row in rows if row.is_active or not active_only)


def draft_of(app: TherapistApplication) -> ApplicationDraft:
    return ApplicationDraft(
        full_name=app.full_name,
        email=app.email,
        phone=app.phone,
        registration_number=app.registration_number,
        registration_council=app.registration_council,
        registration_expires_on=app.registration_expires_on,
        specialisations=tuple(app.specialisations or ()),
        bio=app.bio,
        years_of_experience=app.years_of_experience,
        languages=tuple(app.languages or ()),
        documents=tuple(app.documents or ()),
        photo=app.photo,
        weekly_capacity=app.weekly_capacity,
    )


def to_application(app: TherapistApplication) -> Application:
    return Application(
        application_id=app.id,
        state=app.state,
        draft=draft_of(app),
        submitted_at=app.submitted_at,
        decided_by=app.decided_by,
        decided_at=app.decided_at,
        decision_message=app.decision_message,
        therapist_id=app.therapist_id,
    )


def _row(app: TherapistApplication) -> ApplicationRow:
    return ApplicationRow(
        application_id=app.id,
        full_name=app.full_name,
        email=app.email,
        state=app.state,
        submitted_at=app.submitted_at,
        specialisations=tuple(app.specialisations or ()),
        years_of_experience=app.years_of_experience,
        weekly_capacity=app.weekly_capacity,
        decided_by=app.decided_by,
        decided_at=app.decided_at,
    )


def _decision(event: AuditEvent) -> DecisionRow:
    details = event.details or {}
    return DecisionRow(
        application_id=int(event.subject_id or 0),
        action=event.action.removeprefix(_DECISION_PREFIX),
        actor=event.actor,
        occurred_at=event.occurred_at,
        message=details.get("message"),
        applicant=details.get("applicant"),
    )
