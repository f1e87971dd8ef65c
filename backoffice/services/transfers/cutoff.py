"""From when a transfer moves sessions: now, or the start of an effective day the clinic allows."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ValidationError
from backoffice.services.clock import clinic_now
from backoffice.values import day_text

MAX_BACKDATE_SETTING = "transfers.max_backdate_days"
DEFAULT_MAX_BACKDATE_DAYS = 7


def max_backdate_days(uow: UnitOfWork) -> int:
    statement = sa.text("SELECT value FROM backoffice.settings WHERE key = :key")
    value = uow.session.execute(statement, {"key": MAX_BACKDATE_SETTING}).scalar_one_or_none()
    return int(value) if isinstance(value, int | float | str) else DEFAULT_MAX_BACKDATE_DAYS


def transfer_cutoff(uow: UnitOfWork, effective_date: dt.date | None) -> dt.datetime:
    """From when sessions move: now when effective today, else the start of the effective day.

    Raises ValidationError for a date further in the past than the clinic allows to backdate.
    """
    now = clinic_now(uow)
    if effective_date is None or effective_date == now.date():
        return now
    if effective_date < now.date():
        limit = max_backdate_days(uow)
        late = (now.date() - effective_date).days
        if late > limit:
            raise ValidationError(
                f"The effective date {day_text(effective_date)} is {late} days in the past; "
                f"a transfer can be backdated by at most {limit} days."
            )
    return dt.datetime.combine(effective_date, dt.time.min)
