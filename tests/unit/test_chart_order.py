"""The chart's timeline is in time order whatever order its sessions were read in: online they
come sorted from SQL, an offline copy's table returns them as it stored them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from backoffice.services.chart.reads import assemble_chart
from backoffice.services.notes import ClientSession
from backoffice.services.permissions import Actor, Role

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
THERAPIST = Actor(login_role="t", role=Role.THERAPIST, display_name="T", therapist_id="T-1")


def session(booking: str, days_from_now: int | None) -> ClientSession:
    starts = None if days_from_now is None else NOW + dt.timedelta(days=days_from_now)
    return ClientSession(
        client_id="C-1",
        client_name="Siobhán O'Connor",
        booking_id=booking,
        starts_at=starts,
        ends_at=None,
        status="confirmed",
        mode="online",
        therapist_id="T-1",
        therapist_name="Asha Rao",
        note_id=None,
        note_written_at=None,
        risk_level=None,
        self_harm=False,
        high_risk=False,
        note_due=False,
    )


def test_upcoming_soonest_first_and_past_latest_first_from_sessions_in_any_order():
    days = [-40, -30, -20, -10, -1, 9, 19, 29]
    sessions = [session(f"B{d}", d) for d in days]
    random.Random(7).shuffle(sessions)
    chart = assemble_chart(
        THERAPIST, "C-1", None, sessions, written={}, moves=(), now=NOW, focus=None
    )
    assert [e.session.booking_id for e in chart.upcoming] == ["B9", "B19", "B29"]
    assert [e.session.booking_id for e in chart.past] == ["B-1", "B-10", "B-20", "B-30", "B-40"]


def test_the_timeline_writes_a_sessions_status_in_words():
    from backoffice.services.chart import ChartEntry
    from backoffice.ui.pages.chart_timeline import session_text

    missed = dataclasses.replace(session("B1", -3), status="no_show", mode="in-person")
    assert session_text(ChartEntry(missed, False, False, ())) == "No show · in-person"
