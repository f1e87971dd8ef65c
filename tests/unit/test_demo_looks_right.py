"""Issue 15, item 14: the demo clinic looks like a clinic on the day it is built. Nothing is dated
after its "now" that should not be, the daily takings have no jump, old high-risk notes are
reviewed, and "now" is never later than the moment the demo is built."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

import pytest

from backoffice.demo import SMALL, TINY
from backoffice.demo.clinic import REVIEWED_AFTER, build_clinic
from backoffice.demo.generate import demo_today, generate_tables
from backoffice.demo.plan import DAY, NOW
from backoffice.demo.rand import IST

TODAY = dt.date(2026, 11, 29)
# Columns of things that happened: none may be later than the demo's now.
HAPPENED = {
    "public.payments": ("payment_date", "created_at"),
    "public.bookings": ("invitee_created_at",),
    "public.client_session_notes": ("created_at",),
    "backoffice.note_reviews": ("reviewed_at",),
}


@pytest.fixture(scope="module")
def tables():
    clinic = build_clinic(SMALL, 2026, TODAY)
    found = {}
    for spec, rows in generate_tables(clinic):
        wanted = (
            HAPPENED.get(spec.table, ())
            + (
                ("note_id", "self_harm_mention")
                if spec.table == "public.client_session_notes"
                else ()
            )
            + (("note_id",) if spec.table == "backoffice.note_reviews" else ())
        )
        at = [spec.columns.index(c) for c in wanted]
        found[spec.table] = [tuple(row[i] for i in at) for row in rows] if at else []
    return clinic, found


def naive(value: dt.datetime) -> dt.datetime:
    return value.astimezone(IST).replace(tzinfo=None) if value.tzinfo else value


@pytest.mark.parametrize(
    ("built_at", "today"),
    [
        (dt.datetime(2026, 11, 30, 3, 37, tzinfo=IST), dt.date(2026, 11, 29)),  # before 08:00
        (dt.datetime(2026, 11, 30, 8, 0, tzinfo=IST), dt.date(2026, 11, 30)),
        (dt.datetime(2026, 11, 29, 22, 7, tzinfo=dt.UTC), dt.date(2026, 11, 29)),  # 03:37 IST
    ],
)
def test_the_demos_now_is_never_later_than_when_it_is_built(built_at, today):
    assert demo_today(built_at) == today
    assert build_clinic(TINY, 2026, demo_today(built_at)).now <= naive(built_at)


def test_nothing_that_happened_is_dated_after_the_demos_now(tables):
    clinic, found = tables
    for table, columns in HAPPENED.items():
        for row in found[table]:
            for column, value in zip(columns, row, strict=False):
                if isinstance(value, dt.datetime):
                    assert naive(value) <= clinic.now, (table, column, value)


def test_the_daily_takings_have_no_jump(tables):
    """The last two months, day by day: no day far above the week before it (the old demo's
    takings quadrupled from one day to the next, when the sessions to come were all booked)."""
    clinic, found = tables
    first = clinic.now.date() - dt.timedelta(days=60)
    days = Counter(naive(paid).date() for paid, _ in found["public.payments"])
    counts = [days[first + dt.timedelta(days=n)] for n in range(60)]  # up to yesterday
    for n in range(7, 60):
        week = statistics.mean(counts[n - 7 : n])
        assert 0.6 * week <= counts[n] <= 1.5 * week, (n, counts[n], week, counts)


def test_old_high_risk_notes_are_reviewed_and_only_last_weeks_wait(tables):
    clinic, found = tables
    notes = found["public.client_session_notes"]
    risky = {note_id for _written, note_id, harm in notes if harm == "yes"}
    reviewed = {note_id for _at, note_id in found["backoffice.note_reviews"]}
    assert reviewed and reviewed < risky and risky - reviewed
    waiting = [r for r in clinic.warts.risky_notes if r not in clinic.warts.reviewed_risky]
    for rank in waiting:
        assert clinic.plan.start[rank] >= NOW - REVIEWED_AFTER - DAY  # of the last week
    for rank in clinic.warts.reviewed_risky:
        assert clinic.plan.start[rank] < NOW - REVIEWED_AFTER
