"""The clinic's clock: its time zone, and "now" as the clinic's own tables write it.

The clinic's `timestamp` columns hold naive wall-clock times in the clinic's zone, so "now" is the
database server's `now()` in that zone: one clock for every workstation, whatever their own. The
ORM writes `clinic_timestamp()`, hand-written SQL the two fragments below, Python `clinic_now`.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.values import CLINIC_TIMEZONE

__all__ = ["AT_CLINIC_ZONE", "CLINIC_NOW_SQL", "CLINIC_TIMEZONE", "clinic_now", "clinic_timestamp"]
# For text SQL: `<timestamptz> AT_CLINIC_ZONE` is the clinic's wall-clock time of that instant.
AT_CLINIC_ZONE = f"AT TIME ZONE '{CLINIC_TIMEZONE}'"
CLINIC_NOW_SQL = f"CAST(now() {AT_CLINIC_ZONE} AS timestamp)"


def clinic_timestamp() -> sa.ColumnElement[dt.datetime]:
    """SQL for the clinic's wall-clock time now, for the clinic's `timestamp` columns."""
    return sa.cast(sa.func.timezone(CLINIC_TIMEZONE, sa.func.now()), sa.DateTime())


def clinic_now(uow: UnitOfWork) -> dt.datetime:
    """The clinic's wall-clock time now (naive, like every timestamp of the clinic's tables)."""
    value: dt.datetime = uow.session.execute(sa.select(clinic_timestamp())).scalar_one()
    return value


def clinic_time_of(instant: dt.datetime) -> dt.datetime:
    """The clinic's wall-clock time (naive) of an aware instant: an offline copy's "now", where
    the laptop's clock is the only one."""
    from zoneinfo import ZoneInfo

    return instant.astimezone(ZoneInfo(CLINIC_TIMEZONE)).replace(tzinfo=None)
