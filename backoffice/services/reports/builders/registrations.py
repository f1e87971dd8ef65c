"""The admin report `registrations`: therapists' current registrations that have expired or expire
by the end of the period, soonest first, with their state in the dashboard's words
(`therapists.expiry_state`: the one rule), and the earlier registrations each replaced.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.reports import Column, KeyFigure, KeyFiguresSection, ParagraphSection, TableSection
from backoffice.services.clock import AT_CLINIC_ZONE, clinic_now
from backoffice.services.reports.builders.frames import frame
from backoffice.services.reports.types import ReportContent, ReportRequest
from backoffice.services.therapists import THRESHOLDS, expiry_state

_CURRENT = sa.text(f"""
SELECT coalesce(t.name, r.therapist_id) AS therapist, r.therapist_id, r.body, r.number,
       r.expires_on, r.expires_on - CAST(:today AS date) AS days_left, r.recorded_by,
       CAST(r.recorded_at {AT_CLINIC_ZONE} AS timestamp) AS recorded_at,
       (SELECT count(*) FROM backoffice.therapist_registrations e
         WHERE e.therapist_id = r.therapist_id AND NOT e.is_current) AS earlier
FROM backoffice.therapist_registrations r
LEFT JOIN public.therapists t ON t.therapist_id = r.therapist_id
WHERE r.is_current AND r.expires_on < :end
  AND (CAST(:therapist AS text) IS NULL OR r.therapist_id = :therapist)
ORDER BY r.expires_on, therapist, r.therapist_id
""")

_COLUMNS = (
    Column("therapist", "Therapist"),
    Column("therapist_id", "Id", "id"),
    Column("body", "Registered with"),
    Column("number", "Number", "id"),
    Column("expires_on", "Expires", "date"),
    Column("days_left", "Days left", "int", total=False),
    Column("state", "State"),
    Column("earlier", "Earlier registrations", "int", total=False),
    Column("recorded_by", "Recorded by"),
    Column("recorded_at", "Recorded", "datetime"),
)
NOTE = (
    "Current registrations that have expired, or expire before the end of the period; days left "
    "and the state are counted from today (clinic time). A therapist whose registration has "
    "expired receives no clients by transfer; each is told 30 days before their expiry."
)


def build_registrations(uow: UnitOfWork, request: ReportRequest) -> ReportContent:
    today = clinic_now(uow).date()
    rows = frame(uow, _CURRENT, request.params(today=today))
    rows["state"] = [expiry_state(e, today) for e in rows["expires_on"].tolist()]
    table = TableSection(
        "Registrations expired or expiring", _COLUMNS, rows, empty_text="None in this period."
    )
    return ReportContent(
        sections=[_figures(rows), table, ParagraphSection(NOTE, note=True)],
        spreadsheet=[table],
        rows=len(rows),
        empty=rows.empty,
        empty_sentence="No registration has expired or expires by the end of this period.",
    )


def _figures(rows: pd.DataFrame) -> KeyFiguresSection:
    days = [int(d) for d in rows["days_left"].tolist()]
    figures = [KeyFigure("Expired", sum(d < 0 for d in days), "int")]
    figures += [
        KeyFigure(f"Within {limit} days", sum(0 <= d <= limit for d in days), "int")
        for limit in sorted(THRESHOLDS)
    ]
    return KeyFiguresSection(figures)
