"""Revision 0004's SQL is a snapshot that may not import the services: what it copies is held equal."""

from __future__ import annotations

from backoffice.migrations import money_0004
from backoffice.migrations.money_0004 import fields, views
from backoffice.services import clock


def test_the_revision_writes_the_clinics_times_in_the_clinics_one_zone():
    assert money_0004.CLINIC_TIMEZONE == clock.CLINIC_TIMEZONE
    assert f"AT TIME ZONE '{clock.CLINIC_TIMEZONE}'" in fields.WRITE
    assert f"AT TIME ZONE '{clock.CLINIC_TIMEZONE}'" in views.REFUND_LINES
