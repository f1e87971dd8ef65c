"""The writes that keep a therapist's rows in agreement: `therapists`, `users`, their status, the
dashboard stats row and notifications (the staff account and login: `logins`). Internal to
the therapist and transfer workflows (callers check permissions and write the audit event).

One rule decides what every table must say: `shared_fields(application)` for a therapist who came
through an approved application (seed 000: the application is the source of truth), the
`therapists` row otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError
from backoffice.models import Notification, Therapist, User
from backoffice.models.backoffice import TherapistApplication
from backoffice.models.therapist_status import TherapistStatusChange
from backoffice.services.clock import CLINIC_NOW_SQL
from backoffice.services.therapists.reads import draft_of
from backoffice.services.therapists.types import ApplicationDraft

FIRST_THERAPIST_NUMBER = 58001
_ID_LOCK = 0x7468_6572  # pg_advisory_xact_lock key: one therapist id handed out at a time


@dataclass(frozen=True)
class SharedFields:
    """The facts that `therapists`, `users` and the staff account all repeat."""

    name: str
    email: str | None
    specialization: str | None = None
    capacity: int | None = None


def shared_fields(draft: ApplicationDraft) -> SharedFields:
    specialization = ", ".join(s.strip() for s in draft.specialisations if s.strip()) or None
    return SharedFields(
        name=draft.full_name.strip(),
        email=draft.email.strip(),
        specialization=specialization,
        capacity=draft.weekly_capacity,
    )


def same_email(a: str | None, b: str | None) -> bool:
    return (a or "").strip().lower() == (b or "").strip().lower()


def next_therapist_id(uow: UnitOfWork) -> str:
    """The next free numeric therapist id, never one that any table already mentions (orphans too)."""
    db = uow.session
    db.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ID_LOCK})
    highest = db.execute(
        sa.text(
            "SELECT max(CAST(id AS bigint)) FROM ("
            " SELECT therapist_id AS id FROM public.therapists"
            " UNION ALL SELECT therapist_id FROM public.therapist_resources"
            " UNION ALL SELECT therapist_id FROM public.users"
            " UNION ALL SELECT therapist_id FROM backoffice.staff_accounts"
            " UNION ALL SELECT therapist_id FROM backoffice.therapist_applications"
            ") ids WHERE id ~ '^[0-9]{1,15}$'"
        )
    ).scalar_one()
    return str(max(int(highest or 0) + 1, FIRST_THERAPIST_NUMBER))


def email_owner(
    uow: UnitOfWork, email: str, *, except_therapist: str | None
) -> tuple[str, str] | None:
    """(therapist_id, name) of another therapist who already has this email, if any."""
    row = uow.session.execute(
        sa.text(
            "SELECT t.therapist_id, t.name FROM public.therapists t WHERE t.therapist_id IN ("
            " SELECT therapist_id FROM public.therapists WHERE lower(btrim(contact_info)) = :e"
            " UNION SELECT therapist_id FROM public.users WHERE lower(btrim(username)) = :e"
            " UNION SELECT therapist_id FROM backoffice.staff_accounts WHERE lower(btrim(email)) = :e"
            " UNION SELECT therapist_id FROM backoffice.therapist_applications"
            "   WHERE state = 'approved' AND lower(btrim(email)) = :e"
            ") AND t.therapist_id IS DISTINCT FROM :keep ORDER BY t.therapist_id LIMIT 1"
        ),
        {"e": email.strip().lower(), "keep": except_therapist},
    ).first()
    return None if row is None else (row.therapist_id, row.name)


def save_therapist(uow: UnitOfWork, therapist_id: str | None, fields: SharedFields) -> str:
    """Update the therapist's row (locked) or create one with a new id; returns the therapist id."""
    values = {
        "name": fields.name,
        "contact_info": fields.email,
        "specialization": fields.specialization,
        "capacity": fields.capacity if fields.capacity is not None else 0,
    }
    if therapist_id is not None and lock_therapists(uow, [therapist_id]):
        uow.session.execute(
            sa.update(Therapist)
            .where(Therapist.therapist_id == therapist_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return therapist_id
    new_id = therapist_id or next_therapist_id(uow)
    uow.session.execute(
        sa.insert(Therapist).values(therapist_id=new_id, sessions_booked=0, **values)
    )
    return new_id


def lock_therapists(uow: UnitOfWork, therapist_ids: Iterable[str]) -> dict[str, str]:
    """Lock these therapists' rows (in id order, so two workflows never deadlock): id -> name.

    FOR NO KEY UPDATE rather than FOR UPDATE: it still serialises our workflows, but lets the
    booking website insert bookings that point to the therapist meanwhile.
    """
    ids = sorted(set(therapist_ids))
    rows = uow.session.execute(
        sa.select(Therapist.therapist_id, Therapist.name)
        .where(Therapist.therapist_id.in_(ids))
        .order_by(Therapist.therapist_id)
        .with_for_update(key_share=True)
    )
    return {row.therapist_id: row.name for row in rows}


def ensure_user(uow: UnitOfWork, *, therapist_id: str, fields: SharedFields) -> int:
    """The therapist's website user (found by email, else their linked one), its name brought up
    to date; or a new one with an unusable password. Only through the owner's function
    `backoffice.therapist_website_user`, which writes the audit event: admins may not write
    `users` themselves. ConflictError when that user belongs to another therapist or role."""
    try:
        found = uow.session.execute(
            _WEBSITE_USER, {"t": therapist_id, "email": fields.email, "name": fields.name}
        ).scalar_one()
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) != "23505":
            raise
        raise ConflictError(_primary_message(error)) from None
    return int(found)


_WEBSITE_USER = sa.text("SELECT backoffice.therapist_website_user(:t, :email, :name)")


def _primary_message(error: DBAPIError) -> str:
    diag = getattr(error.orig, "diag", None)
    return str(getattr(diag, "message_primary", None) or error.orig)


def linked_user_ids(uow: UnitOfWork, therapist_ids: Iterable[str]) -> dict[str, list[int]]:
    """The therapists' own `users` rows (role therapist), to notify them."""
    rows = uow.session.execute(
        sa.select(User.therapist_id, User.id)
        .where(User.therapist_id.in_(list(therapist_ids)), User.role == "therapist")
        .order_by(User.id)
    )
    result: dict[str, list[int]] = {}
    for row in rows:
        result.setdefault(row.therapist_id, []).append(int(row.id))
    return result


def notify(
    uow: UnitOfWork,
    user_ids: Iterable[int],
    *,
    kind: str,
    title: str,
    message: str,
    related_id: str,
) -> None:
    rows = [
        {
            "user_id": user_id,
            "user_role": "therapist",
            "notification_type": kind,
            "title": title[:255],
            "message": message,
            "related_id": related_id[:50],
        }
        for user_id in user_ids
    ]
    if rows:
        uow.session.execute(sa.insert(Notification), rows)


def ensure_dashboard_stats(uow: UnitOfWork, therapist_id: str) -> None:
    """A row of zeros for a new therapist (the therapist dashboard expects one)."""
    uow.session.execute(
        sa.text(
            "INSERT INTO public.therapist_dashboard_stats (therapist_id, last_updated) "
            f"VALUES (:t, {CLINIC_NOW_SQL}) ON CONFLICT (therapist_id) DO NOTHING"
        ),
        {"t": therapist_id},
    )


def approved_application_of(uow: UnitOfWork, therapist_id: str) -> TherapistApplication | None:
    """The latest approved application that created or updated this therapist."""
    a = TherapistApplication
    return uow.session.scalars(
        sa.select(a)
        .where(a.therapist_id == therapist_id, a.state == "approved")
        .order_by(a.decided_at.desc().nulls_last(), a.id.desc())
        .limit(1)
    ).first()


def truth_fields(uow: UnitOfWork, therapist_id: str) -> SharedFields | None:
    """What every table should say about this therapist (None: there is no such therapist)."""
    app = approved_application_of(uow, therapist_id)
    if app is not None:
        return shared_fields(draft_of(app))
    row = uow.session.execute(
        sa.select(
            Therapist.name, Therapist.contact_info, Therapist.specialization, Therapist.capacity
        ).where(Therapist.therapist_id == therapist_id)
    ).first()
    if row is None:
        return None
    return SharedFields(row.name, row.contact_info, row.specialization, row.capacity)


def lock_email(uow: UnitOfWork, email: str) -> None:
    """Serialise approvals of the same email, so that two never create two therapists."""
    uow.session.execute(
        sa.text("SELECT pg_advisory_xact_lock(:space, hashtext(:email))"),
        {"space": _ID_LOCK, "email": email.strip().lower()},
    )


def set_status(uow: UnitOfWork, therapist_id: str, *, active: bool, reason: str) -> None:
    """Deactivate or reactivate: a new row of the therapist's status history."""
    uow.session.execute(
        sa.insert(TherapistStatusChange).values(
            therapist_id=therapist_id, is_active=active, reason=reason
        )
    )
