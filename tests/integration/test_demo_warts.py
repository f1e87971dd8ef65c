"""The demo clinic on real PostgreSQL: exactly the planted warts, and what loading guarantees
(sequences continue, a clinic with rows is refused, one seed and date give one clinic).

The tiny clinic is loaded once for the module; every check is plain SQL written here, independent
of the generator.
"""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.engine import URL

from backoffice.demo import TINY, DemoClinicNotEmpty, load_demo_clinic
from tests.integration.demo_fixtures import (  # noqa: F401 (tiny_fixture: a fixture)
    TODAY,
    load_tiny,
    rows,
    tiny_fixture,
    value,
)
from tests.pg import create_database, drop_database, libpq_conninfo, unique_name


def test_the_only_orphaned_note_is_pooja_jains_booking_56430(tiny):
    conn, summary = tiny
    orphans = rows(
        conn,
        """SELECT note_id, booking_id, client_name FROM client_session_notes n
                            WHERE NOT EXISTS (SELECT 1 FROM bookings b
                                              WHERE b.booking_id = n.booking_id)""",
    )
    assert orphans == [(summary.orphan_note_ids[0], "56430", "Pooja Jain")]
    assert summary.orphan_note_booking_id == "56430" and len(summary.orphan_note_ids) == 1


def test_the_only_orphaned_resources_are_those_of_therapist_58605(tiny):
    conn, summary = tiny
    orphans = rows(
        conn,
        """SELECT id, therapist_id FROM therapist_resources r
                            WHERE NOT EXISTS (SELECT 1 FROM therapists t
                                              WHERE t.therapist_id = r.therapist_id)
                            ORDER BY id""",
    )
    assert orphans == [(i, "58605") for i in summary.orphan_resource_ids]
    assert len(orphans) >= 1


def test_refund_fields_disagree_exactly_on_the_planted_payments(tiny):
    conn, summary = tiny
    disagreeing = rows(
        conn,
        """SELECT p.payment_id FROM payments p JOIN bookings b USING (booking_id)
                                WHERE (p.refund_amount, p.refund_status, p.refund_id,
                                       p.refund_failed_date)
                                IS DISTINCT FROM (b.refund_amount, b.refund_status, b.refund_id,
                                                  b.refund_failed_time)
                                ORDER BY 1""",
    )
    assert [pid for (pid,) in disagreeing] == sorted(summary.disagreeing_refund_payment_ids)
    assert len(disagreeing) == TINY.disagreeing_refunds


def test_the_partly_refunded_payments_are_exactly_the_planted_ones(tiny):
    conn, summary = tiny
    partial = rows(
        conn,
        """SELECT payment_id, refund_status FROM payments
                            WHERE refund_amount > 0 AND refund_amount < amount ORDER BY 1""",
    )
    assert partial == [(pid, "processed") for pid in sorted(summary.partial_refund_payment_ids)]
    assert len(partial) == TINY.partial_refunds
    assert (
        value(
            conn,
            """SELECT count(*) FROM payments p JOIN bookings b USING (booking_id)
                          WHERE p.payment_id = ANY(%s) AND b.refund_amount = p.refund_amount""",
            list(summary.partial_refund_payment_ids),
        )
        == TINY.partial_refunds
    )


def test_high_risk_and_self_harm_notes_are_exactly_the_planted_ones(tiny):
    conn, summary = tiny
    risky = rows(
        conn,
        """SELECT note_id, current_risk_level, self_harm_mention,
                                 self_harm_details IS NOT NULL
                          FROM client_session_notes
                          WHERE current_risk_level = 'high' OR self_harm_mention = 'yes'
                             OR self_harm_details IS NOT NULL ORDER BY 1""",
    )
    assert risky == [(nid, "high", "yes", True) for nid in sorted(summary.risky_note_ids)]
    assert len(risky) == TINY.risky_notes


def test_completed_sessions_without_a_note_after_48_hours_are_exactly_the_planted_ones(tiny):
    conn, summary = tiny
    missing = rows(
        conn,
        """SELECT b.booking_id FROM bookings b
                            WHERE b.booking_status = 'completed'
                              AND b.booking_end_at <= %s - interval '48 hours'
                              AND NOT EXISTS (SELECT 1 FROM client_session_notes n
                                              WHERE n.booking_id = b.booking_id)
                            ORDER BY 1""",
        summary.now,
    )
    assert [bid for (bid,) in missing] == sorted(summary.missing_note_booking_ids)
    assert len(missing) == TINY.missing_notes


def test_pending_applications_wait_undecided_and_decided_ones_say_why(tiny):
    conn, _ = tiny
    assert (
        value(
            conn,
            """SELECT count(*) FROM backoffice.therapist_applications
                          WHERE (state = 'pending') <> (decided_at IS NULL)
                             OR (state = 'pending') <> (decision_message IS NULL)
                             OR therapist_id IS NOT NULL
                             OR cardinality(specialisations) < 2""",
        )
        == 0
    )
    assert (
        value(
            conn,
            """SELECT count(*) FROM backoffice.therapist_applications a
                          JOIN therapists t ON t.name = a.full_name""",
        )
        == 0
    )


def test_serial_sequences_continue_after_the_loaded_ids(tiny):
    conn, _ = tiny
    serials = rows(
        conn,
        """SELECT c.table_name, c.column_name FROM information_schema.columns c
                            WHERE c.table_schema = 'public'
                              AND pg_get_serial_sequence('public.' || c.table_name, c.column_name)
                                  IS NOT NULL""",
    )
    assert len(serials) == 16
    for table, column in serials:
        sequence = value(conn, "SELECT pg_get_serial_sequence(%s, %s)", f"public.{table}", column)
        last, called = rows(conn, f"SELECT last_value, is_called FROM {sequence}")[0]
        highest = value(conn, f"SELECT coalesce(max({column}), 0) FROM public.{table}")
        assert (last, called) == (highest + 1, False), table


def test_loading_into_a_clinic_that_has_rows_is_refused_and_changes_nothing(tiny):
    conn, summary = tiny
    with pytest.raises(DemoClinicNotEmpty, match=r"public\.therapists holds rows"):
        load_demo_clinic(conn, TINY, seed=3, today=TODAY)
    assert value(conn, "SELECT count(*) FROM bookings") == summary.counts["public.bookings"]


def fingerprint(url: URL) -> dict[str, str]:
    """An md5 of the rows of every clinic table and of the applications, in a fixed order.

    (The backoffice schema's other tables are the migration's, with their own timestamps.)
    """
    with psycopg.connect(libpq_conninfo(url)) as conn:
        tables = rows(
            conn,
            """SELECT table_schema || '.' || table_name FROM information_schema.tables
               WHERE (table_schema = 'public' OR table_name = 'therapist_applications')
                 AND table_type = 'BASE TABLE' ORDER BY 1""",
        )
        assert len(tables) == 21
        return {
            table: value(
                conn,
                f"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
                f"FROM {table} t",
            )
            for (table,) in tables
        }


def test_same_seed_and_date_give_identical_data_and_another_seed_does_not(
    fresh_database_url, pg_superuser_url
):
    first = load_tiny(fresh_database_url)
    others = [unique_name("twin"), unique_name("other")]
    try:
        twin = load_tiny(create_database(pg_superuser_url, others[0]))
        other = load_tiny(create_database(pg_superuser_url, others[1]), seed=7)
        prints = [
            fingerprint(fresh_database_url),
            *(fingerprint(pg_superuser_url.set(database=name)) for name in others),
        ]
    finally:
        for name in others:
            drop_database(pg_superuser_url, name)
    assert prints[0] == prints[1]
    assert first.disagreeing_refund_payment_ids == twin.disagreeing_refund_payment_ids
    changed = [table for table in prints[0] if prints[0][table] != prints[2][table]]
    assert "public.bookings" in changed and "public.client_session_notes" in changed
    assert other.seed == 7 and len(changed) >= 15
