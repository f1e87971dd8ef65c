"""Therapists themselves: deactivate (never delete) and reactivate, and a login for one who has none.

Public through the `services.therapists` package.
"""

from __future__ import annotations

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError, NotFound, ValidationError
from backoffice.services import audit, clock
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.therapists import caseloads, logins, records
from backoffice.services.therapists.types import (
    DeactivationResult,
    LoginResult,
    ReactivatedTherapist,
)

P = Permission


def deactivate_therapist(
    uow: UnitOfWork, actor: Actor, *, therapist_id: str, reason: str
) -> DeactivationResult:
    """Deactivate a therapist: no new clients are transferred to them; nothing is deleted. Their
    logins are disabled at once, open sessions ended (the database does it: a trigger on the status
    history, `owner.provisioning.disabling`). The result says how many clients are still theirs,
    so that the admin can transfer the caseload.

    Permission: MANAGE_THERAPISTS. One transaction; audit "therapist.deactivated" (and
    "staff.disabled" per login, written by the database).
    Raises PermissionDenied, NotFound, ValidationError (no reason), ConflictError (already inactive).
    """
    require(actor, P.MANAGE_THERAPISTS)
    reason = _required(reason, "Give the reason for deactivating the therapist.")
    name = _locked_therapist(uow, therapist_id)
    if caseloads.inactive_among(uow, [therapist_id]):
        raise ConflictError(f"{name} (therapist {therapist_id}) is already deactivated.")
    records.set_status(uow, therapist_id, active=False, reason=reason)
    row = caseloads.therapist_row(uow, therapist_id)
    future = _future_appointments(uow, therapist_id)
    audit.record(
        uow,
        "therapist.deactivated",
        subject_type="therapist",
        subject_id=therapist_id,
        details={"reason": reason, "clients": row.clients, "future_appointments": future},
    )
    uow.commit()
    return DeactivationResult(therapist_id, name, reason, row.clients, row.active_clients, future)


def reactivate_therapist(
    uow: UnitOfWork, actor: Actor, *, therapist_id: str, reason: str
) -> ReactivatedTherapist:
    """Make a deactivated therapist active again. Their logins stay disabled: an admin gives them
    a new temporary password with `create_therapist_login`.

    Permission: MANAGE_THERAPISTS. One transaction; audit "therapist.reactivated".
    Raises PermissionDenied, NotFound, ValidationError (no reason), ConflictError (already active).
    """
    require(actor, P.MANAGE_THERAPISTS)
    reason = _required(reason, "Give the reason for reactivating the therapist.")
    name = _locked_therapist(uow, therapist_id)
    if not caseloads.inactive_among(uow, [therapist_id]):
        raise ConflictError(f"{name} (therapist {therapist_id}) is already active.")
    records.set_status(uow, therapist_id, active=True, reason=reason)
    audit.record(
        uow,
        "therapist.reactivated",
        subject_type="therapist",
        subject_id=therapist_id,
        details={"reason": reason},
    )
    uow.commit()
    return ReactivatedTherapist(**vars(caseloads.therapist_row(uow, therapist_id)))


def create_therapist_login(
    uow: UnitOfWork,
    actor: Actor,
    *,
    therapist_id: str,
    password: str,
    login_name: str | None = None,
) -> LoginResult:
    """Give an existing active therapist a database login (and a staff account if they have none)
    with a temporary `password`: it expires after TEMPORARY_PASSWORD_HOURS and opens nothing but
    the therapist's own password change at their first login. Also issues a new temporary password
    to their login when it still waits for its owner's, or was disabled (a reactivated therapist).

    Permission: MANAGE_STAFF. One transaction; audit "therapist.login_created" (never the password;
    the database adds "staff.temporary_password" and tells the therapist on their dashboard).
    Raises PermissionDenied, NotFound, ValidationError (bad name or password, inactive therapist,
    server not provisioned), ConflictError (the name is taken, or the login is in use).
    """
    require(actor, P.MANAGE_STAFF)
    name = _locked_therapist(uow, therapist_id)
    if caseloads.inactive_among(uow, [therapist_id]):
        raise ValidationError(f"{name} is deactivated; reactivate them before giving them a login.")
    fields = records.truth_fields(uow, therapist_id)
    assert fields is not None
    login = logins.login_for(uow, therapist_id, fields.name, login_name)
    logins.check_login(login, password)
    if logins.login_in_use(uow, login):
        raise ConflictError(f"{name} already uses the login {login} with a password of their own.")
    user_id = records.ensure_user(uow, therapist_id=therapist_id, fields=fields)
    logins.link_staff(uow, login=login, therapist_id=therapist_id, fields=fields, user_id=user_id)
    logins.create_login(uow, login=login, password=password)
    audit.record(
        uow,
        "therapist.login_created",
        subject_type="therapist",
        subject_id=therapist_id,
        details={"login": login},
    )
    uow.commit()
    return LoginResult(therapist_id, login)


def _locked_therapist(uow: UnitOfWork, therapist_id: str) -> str:
    names = records.lock_therapists(uow, [therapist_id])
    if therapist_id not in names:
        raise NotFound(f"There is no therapist with the id {therapist_id}.")
    return names[therapist_id]


def _future_appointments(uow: UnitOfWork, therapist_id: str) -> int:
    return int(
        uow.session.execute(
            sa.text(
                "SELECT count(*) FROM public.appointment_table "
                "WHERE therapist_id = :t AND session_timings >= :now"
            ),
            {"t": therapist_id, "now": clock.clinic_now(uow)},
        ).scalar_one()
    )


def _required(text: str | None, sentence: str) -> str:
    if text is None or not text.strip():
        raise ValidationError(sentence)
    return text.strip()
