"""Therapists' registrations with a professional body, and their expiry: the one rule.

A therapist has one current registration (body, number, expiry date); recording a new one keeps
the earlier as history (a trigger of migration 0007 marks it replaced). Approval captures the
application's registration and refuses an expired one; a transfer refuses an expired receiver;
the dashboard counts what expires within 60, 30 and 7 days; a therapist is told 30 days before,
once per registration (`registration_notices`). What "expired" and "expiring" mean is here only.

Public through the `services.therapists` package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import NotFound, ValidationError
from backoffice.services import audit, clock
from backoffice.services.changes import Area, Changes
from backoffice.services.permissions import Actor, Permission, require
from backoffice.values import date_text

THRESHOLDS = (60, 30, 7)  # days before expiry the dashboard counts
NOTICE_DAYS = 30  # the therapist is told this many days before


def expiry_state(expires_on: dt.date, today: dt.date) -> str:
    """'expired', 'within 7 days', 'within 30 days', 'within 60 days' or 'current'."""
    days = (expires_on - today).days
    if days < 0:
        return "expired"
    for limit in sorted(THRESHOLDS):
        if days <= limit:
            return f"within {limit} days"
    return "current"


@dataclass(frozen=True)
class Registration:
    """One registration of a therapist; `days_left` is negative once it has expired."""

    id: int
    therapist_id: str
    therapist_name: str
    body: str
    number: str
    expires_on: dt.date
    is_current: bool
    recorded_at: dt.datetime
    recorded_by: str
    days_left: int
    state: str  # expiry_state's words

    @property
    def expired(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True)
class RegistrationResult(Registration):
    """The registration `record_registration` made current."""

    changes: ClassVar[Changes] = Changes.of(Area.THERAPISTS)


@dataclass(frozen=True)
class NoticeResult:
    """What `notify_registration_expiries` sent: one notice per registration and threshold."""

    notified: tuple[str, ...]  # the therapists told this time
    changes: ClassVar[Changes] = Changes()


_ROWS = """
SELECT r.id, r.therapist_id, coalesce(t.name, r.therapist_id) AS therapist_name, r.body,
       r.number, r.expires_on, r.is_current, r.recorded_at, r.recorded_by
FROM backoffice.therapist_registrations r
LEFT JOIN public.therapists t ON t.therapist_id = r.therapist_id
"""


def today(uow: UnitOfWork) -> dt.date:
    """The clinic's date now."""
    return clock.clinic_now(uow).date()


def _registration(row: sa.Row[Any], on: dt.date) -> Registration:
    return Registration(
        id=row.id,
        therapist_id=row.therapist_id,
        therapist_name=row.therapist_name,
        body=row.body,
        number=row.number,
        expires_on=row.expires_on,
        is_current=row.is_current,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
        days_left=(row.expires_on - on).days,
        state=expiry_state(row.expires_on, on),
    )


def list_registrations(
    uow: UnitOfWork, actor: Actor, *, therapist_id: str | None = None, history: bool = False
) -> tuple[Registration, ...]:
    """Current registrations, soonest expiry first; with `history`, the replaced ones too (newest
    first). Permission: VIEW_THERAPISTS. Read only. Raises PermissionDenied."""
    require(actor, Permission.VIEW_THERAPISTS)
    where = "WHERE (CAST(:t AS text) IS NULL OR r.therapist_id = :t)"
    where += "" if history else " AND r.is_current"
    order = "r.id DESC" if history else "r.expires_on, r.therapist_id"
    rows = uow.session.execute(sa.text(f"{_ROWS} {where} ORDER BY {order}"), {"t": therapist_id})
    on = today(uow)
    return tuple(_registration(row, on) for row in rows)


def expiring_registrations(uow: UnitOfWork, actor: Actor) -> tuple[Registration, ...]:
    """Current registrations that expired or expire within the longest threshold (60 days),
    soonest first: the dashboard's tiles. Permission: VIEW_THERAPISTS. Read only."""
    require(actor, Permission.VIEW_THERAPISTS)
    on = today(uow)
    rows = uow.session.execute(
        sa.text(f"{_ROWS} WHERE r.is_current AND r.expires_on <= :until ORDER BY r.expires_on"),
        {"until": on + dt.timedelta(days=max(THRESHOLDS))},
    )
    return tuple(_registration(row, on) for row in rows)


def record_registration(
    uow: UnitOfWork,
    actor: Actor,
    *,
    therapist_id: str,
    body: str,
    number: str,
    expires_on: dt.date,
) -> RegistrationResult:
    """Record a therapist's registration; it replaces their current one, which is kept as history.

    Permission: MANAGE_THERAPISTS. One transaction; audit "therapist.registration_recorded" with
    the registration and the one it replaced. Raises PermissionDenied, NotFound (therapist),
    ValidationError (no body or number).
    """
    require(actor, Permission.MANAGE_THERAPISTS)
    _require_therapist(uow, therapist_id)
    before = current_registration(uow, therapist_id)
    made = insert_registration(uow, therapist_id, body, number, expires_on, application_id=None)
    audit.record(
        uow,
        "therapist.registration_recorded",
        subject_type="therapist",
        subject_id=therapist_id,
        details=_details(made, before),
    )
    uow.commit()
    return RegistrationResult(**vars(made))


def _details(made: Registration, before: Registration | None) -> dict[str, object]:
    details: dict[str, object] = {
        "registration_id": made.id,
        "body": made.body,
        "number": made.number,
        "expires_on": made.expires_on.isoformat(),
    }
    if before is not None:
        details["replaced"] = {
            "registration_id": before.id,
            "body": before.body,
            "number": before.number,
            "expires_on": before.expires_on.isoformat(),
        }
    return details


def insert_registration(
    uow: UnitOfWork,
    therapist_id: str,
    body: str | None,
    number: str | None,
    expires_on: dt.date | None,
    *,
    application_id: int | None,
) -> Registration:
    """The new current registration (no permission check: callers check; the caller commits)."""
    body, number = (body or "").strip(), (number or "").strip()
    if not body or not number:
        raise ValidationError("A registration needs the professional body and the number.")
    if expires_on is None:
        raise ValidationError("A registration needs its expiry date.")
    new_id = uow.session.execute(
        sa.text(
            "INSERT INTO backoffice.therapist_registrations "
            "(therapist_id, body, number, expires_on, application_id) "
            "VALUES (:t, :body, :number, :expires, :app) RETURNING id"
        ),
        {
            "t": therapist_id,
            "body": body,
            "number": number,
            "expires": expires_on,
            "app": application_id,
        },
    ).scalar_one()
    row = uow.session.execute(sa.text(f"{_ROWS} WHERE r.id = :id"), {"id": new_id}).one()
    return _registration(row, today(uow))


def current_registration(uow: UnitOfWork, therapist_id: str) -> Registration | None:
    row = uow.session.execute(
        sa.text(f"{_ROWS} WHERE r.therapist_id = :t AND r.is_current"), {"t": therapist_id}
    ).first()
    return None if row is None else _registration(row, today(uow))


def require_unexpired(expires_on: dt.date | None, on: dt.date, whose: str) -> None:
    """Refuse a registration that has expired (approval's rule)."""
    if expires_on is not None and expires_on < on:
        raise ValidationError(
            f"{whose} registration expired on {date_text(expires_on)}: it cannot be approved "
            "until it is renewed (ask for the renewed registration)."
        )


def expired_among(uow: UnitOfWork, therapist_ids: Iterable[str]) -> dict[str, dt.date]:
    """Which of these therapists' current registration has expired, with its expiry date."""
    ids = list(therapist_ids)
    if not ids:
        return {}
    rows = uow.session.execute(
        sa.text(
            "SELECT therapist_id, expires_on FROM backoffice.therapist_registrations "
            "WHERE is_current AND therapist_id = ANY(:ids) AND expires_on < :today"
        ),
        {"ids": ids, "today": today(uow)},
    )
    return {row.therapist_id: row.expires_on for row in rows}


def _require_therapist(uow: UnitOfWork, therapist_id: str) -> None:
    found = uow.session.execute(
        sa.text("SELECT 1 FROM public.therapists WHERE therapist_id = :t"), {"t": therapist_id}
    ).first()
    if found is None:
        raise NotFound(f"There is no therapist with the id {therapist_id}.")
