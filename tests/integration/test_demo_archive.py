"""A clinic with an archive (how `xlarge` is built) keeps every invariant of the demo clinic.

The tiny clinic with a few thousand archived bookings stands in for the ten million: the same
streams and the same SQL, at a size a test can load.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import URL

from backoffice.db import UnitOfWork, create_engine
from backoffice.demo import TINY, DemoSummary, load_demo_clinic
from backoffice.services import therapists
from backoffice.services.permissions import Actor, Role
from tests.integration import test_demo_data as invariants
from tests.integration import test_demo_warts as warts
from tests.integration.demo_fixtures import create_schemas, value
from tests.pg import create_database, drop_database, libpq_conninfo, unique_name

ARCHIVED = 3_000
SIZE = dataclasses.replace(TINY, archive_bookings=ARCHIVED, archive_days=300)
TODAY = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def archived(pg_superuser_url: URL) -> Iterator[tuple[psycopg.Connection, DemoSummary, URL]]:
    name = unique_name("demo_archive")
    url = create_database(pg_superuser_url, name)
    try:
        create_schemas(url)
        with psycopg.connect(libpq_conninfo(url)) as conn:
            summary = load_demo_clinic(conn, SIZE, today=TODAY)
        with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
            yield conn, summary, url
    finally:
        drop_database(pg_superuser_url, name)


@pytest.fixture(scope="module")
def tiny(archived):
    """What the demo clinic's invariant tests take: the connection and the summary."""
    conn, summary, _ = archived
    return conn, summary


def test_the_archive_adds_its_bookings_payments_and_notes_before_the_history(archived):
    conn, summary, _ = archived
    assert summary.counts["public.bookings"] == TINY.bookings + ARCHIVED
    assert summary.counts["public.payments"] == TINY.bookings + ARCHIVED
    first_day = value(conn, "SELECT min(booking_start_at)::date FROM bookings")
    assert first_day < TODAY - dt.timedelta(days=TINY.history_days)


def test_the_consistency_check_finds_nothing_to_repair(archived):
    _, _, url = archived
    engine = create_engine(url)
    try:
        with UnitOfWork(engine) as uow:
            report = therapists.check_consistency(uow, Actor("owner", Role.ADMIN, "Owner"))
    finally:
        engine.dispose()
    assert report.issues == ()
    assert report.therapists_checked == TINY.therapists


@pytest.mark.parametrize(
    "invariant",
    [
        invariants.test_the_summary_counts_every_table_as_the_database_does,
        invariants.test_every_payment_belongs_to_a_booking_and_never_refunds_more_than_was_paid,
        invariants.test_clients_agree_with_therapists_and_count_their_bookings,
        invariants.test_dashboard_caches_agree_with_the_bookings,
        invariants.test_notes_describe_only_completed_sessions_of_the_past,
        invariants.test_sessions_lie_before_and_after_today_in_ist_office_hours,
        warts.test_completed_sessions_without_a_note_after_48_hours_are_exactly_the_planted_ones,
        warts.test_high_risk_and_self_harm_notes_are_exactly_the_planted_ones,
        warts.test_serial_sequences_continue_after_the_loaded_ids,
    ],
    ids=lambda invariant: invariant.__name__.removeprefix("test_"),
)
def test_the_demo_clinics_invariants_hold_with_the_archive(tiny, invariant):
    invariant(tiny)
