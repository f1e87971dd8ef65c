"""Telling therapists their registration expires soon: once per registration and threshold.

Run nightly by `backoffice registrations notify` (or `Clinic.notify_registration_expiries`). The
unique (registration, threshold) of `registration_notices` makes it idempotent, also when two
admins run it at once. Public through the `services.therapists` package.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.services import audit
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.therapists import records
from backoffice.services.therapists.registrations import NOTICE_DAYS, NoticeResult, today
from backoffice.values import date_text

# Current registrations, not yet expired, expiring within the threshold, not yet told about it;
# the notice row is claimed first so that a second run (or a second admin) sends nothing.
_CLAIM = sa.text("""
WITH due AS (
    SELECT r.id, r.therapist_id, r.body, r.number, r.expires_on
    FROM backoffice.therapist_registrations r
    WHERE r.is_current AND r.expires_on >= :today AND r.expires_on <= :until
), claimed AS (
    INSERT INTO backoffice.registration_notices (registration_id, threshold_days)
    SELECT d.id, :days FROM due d
    ON CONFLICT (registration_id, threshold_days) DO NOTHING
    RETURNING registration_id
)
SELECT d.*, u.id AS user_id
FROM due d JOIN claimed c ON c.registration_id = d.id
LEFT JOIN LATERAL (SELECT u.id FROM public.users u WHERE u.therapist_id = d.therapist_id
                   ORDER BY u.id LIMIT 1) u ON true
ORDER BY d.expires_on, d.therapist_id
""")


def notify_registration_expiries(uow: UnitOfWork, actor: Actor) -> NoticeResult:
    """Tell each therapist whose current registration expires within 30 days (and has not yet
    expired), once per registration: a notification in their inbox.

    Permission: MANAGE_THERAPISTS. One transaction; audit "therapist.registration_notified" per
    therapist told. Raises PermissionDenied.
    """
    require(actor, Permission.MANAGE_THERAPISTS)
    on = today(uow)
    until = on + dt.timedelta(days=NOTICE_DAYS)
    rows = uow.session.execute(_CLAIM, {"today": on, "until": until, "days": NOTICE_DAYS}).all()
    for row in rows:
        _tell(uow, row, (row.expires_on - on).days)
    uow.commit()
    return NoticeResult(tuple(row.therapist_id for row in rows))


def _tell(uow: UnitOfWork, row: sa.Row[Any], days: int) -> None:
    when = date_text(row.expires_on)
    if row.user_id is not None:
        records.notify(
            uow,
            [row.user_id],
            kind="registration_expiring",
            title="Your registration expires soon",
            message=f"Your registration {row.number} with {row.body} expires on {when} "
            f"(in {days} days): send the renewed registration to the clinic.",
            related_id=row.therapist_id,
        )
    audit.record(
        uow,
        "therapist.registration_notified",
        subject_type="therapist",
        subject_id=row.therapist_id,
        details={
            "registration_id": row.id,
            "expires_on": row.expires_on.isoformat(),
            "threshold_days": NOTICE_DAYS,
            "notified": row.user_id is not None,
        },
    )
