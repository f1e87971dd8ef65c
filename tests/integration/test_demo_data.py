"""The demo clinic on real PostgreSQL: its counts and its invariants.

The tiny clinic is loaded once for the module (into its own fresh database, as `fresh_database_url`
makes them) and every check is plain SQL written here, independent of the generator. The planted
warts, and what loading guarantees, are checked in `test_demo_warts`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from backoffice.demo import TINY
from tests.integration.demo_fixtures import rows, tiny_fixture, value  # noqa: F401 (fixture)


def test_counts_are_those_the_size_names(tiny):
    conn, _ = tiny
    expected = {
        "therapists": TINY.therapists,
        "users": TINY.admins + TINY.therapists,
        "all_clients_table": TINY.clients,
        "bookings": TINY.bookings,
        "payments": TINY.bookings,
        "client_transfer_history": TINY.transfers,
        "booking_requests": TINY.booking_requests,
        "notifications": TINY.notifications,
        "audit_logs": TINY.audit_logs,
        "therapist_dashboard_stats": TINY.therapists,
        "aisensy_campaign_api": TINY.campaigns,
        "therapist_resources": TINY.therapists * TINY.resources_per_therapist + 2,
    }
    actual = {table: value(conn, f"SELECT count(*) FROM public.{table}") for table in expected}
    assert actual == expected
    states = dict(
        rows(conn, "SELECT state, count(*) FROM backoffice.therapist_applications GROUP BY state")
    )
    assert states == {
        "pending": TINY.pending_applications,
        "rejected": TINY.rejected_applications,
        "needs_information": TINY.info_applications,
    }


def test_the_summary_counts_every_table_as_the_database_does(tiny):
    conn, summary = tiny
    assert len(summary.counts) == 23
    for table, count in summary.counts.items():
        assert value(conn, f"SELECT count(*) FROM {table}") == count, table
    for table in (
        "client_session_notes",
        "appointment_table",
        "booking_cancelled",
        "refund_cancellation_table",
        "therapist_clients_summary",
        "therapist_appointments_cache",
        "client_additional_notes",
        "client_doc_form",
    ):
        assert summary.counts[f"public.{table}"] > 0, table


def test_every_payment_belongs_to_a_booking_and_never_refunds_more_than_was_paid(tiny):
    conn, _ = tiny
    assert (
        value(
            conn,
            """SELECT count(*) FROM payments p
                          WHERE NOT EXISTS (SELECT 1 FROM bookings b
                                            WHERE b.booking_id = p.booking_id)""",
        )
        == 0
    )
    assert value(conn, "SELECT count(*) FROM payments WHERE refund_amount > amount") == 0
    assert (
        value(
            conn,
            """SELECT count(*) FROM bookings
                          WHERE refund_amount > invitee_payment_amount""",
        )
        == 0
    )
    assert (
        value(
            conn,
            """SELECT count(*) FROM payments p JOIN bookings b USING (booking_id)
                          WHERE (p.amount, p.currency, p.payment_reference_id)
                          IS DISTINCT FROM (b.invitee_payment_amount, b.invitee_payment_currency,
                                            b.invitee_payment_reference_id)""",
        )
        == 0
    )


def test_appointments_agree_with_their_bookings(tiny):
    conn, _ = tiny
    assert (
        value(
            conn,
            """SELECT count(*) FROM appointment_table a
                          LEFT JOIN bookings b ON b.booking_id = a.session_id
                          WHERE (a.therapist_id, a.client_id, a.session_timings, a.session_mode,
                                 a.client_name, a.therapist_name)
                          IS DISTINCT FROM (b.therapist_id, b.invitee_id, b.booking_start_at,
                                            b.booking_mode, b.invitee_name,
                                            b.booking_host_name)""",
        )
        == 0
    )


def test_clients_agree_with_therapists_and_count_their_bookings(tiny):
    conn, _ = tiny
    assert (
        value(
            conn,
            """SELECT count(*) FROM all_clients_table c
                          LEFT JOIN therapists t USING (therapist_id)
                          WHERE t.name IS DISTINCT FROM c.assigned_therapist""",
        )
        == 0
    )
    assert (
        value(
            conn,
            """SELECT count(*) FROM all_clients_table c
                          WHERE no_of_sessions <> (SELECT count(*) FROM bookings b
                                                   WHERE b.invitee_id = c.client_id)""",
        )
        == 0
    )
    assert (
        value(
            conn,
            """SELECT count(*) FROM bookings b JOIN therapists t USING (therapist_id)
                          WHERE b.booking_host_name <> t.name""",
        )
        == 0
    )


def test_transfer_history_leads_to_each_clients_current_therapist(tiny):
    conn, _ = tiny
    history = """SELECT h.*, c.client_id, c.therapist_id AS current,
                        lag(h.to_therapist_id) OVER w AS previous_to,
                        lead(h.transfer_date) OVER w AS next_date
                 FROM client_transfer_history h JOIN all_clients_table c
                      ON c.email_id = h.client_email AND c.client_name = h.client_name
                                                     AND c.phone_number = h.client_phone
                 WINDOW w AS (PARTITION BY c.client_id ORDER BY h.transfer_date)"""
    assert value(conn, f"SELECT count(*) FROM ({history}) x") == TINY.transfers
    assert (
        value(
            conn,
            f"""SELECT count(*) FROM ({history}) x
                           WHERE (next_date IS NULL AND to_therapist_id <> current)
                              OR from_therapist_id IS NOT DISTINCT FROM to_therapist_id
                              OR (previous_to IS NOT NULL AND previous_to <> from_therapist_id)
                           """,
        )
        == 0
    )
    assert (
        value(
            conn,
            """SELECT count(*) FROM client_transfer_history h
                          JOIN therapists f ON f.therapist_id = h.from_therapist_id
                          JOIN therapists t ON t.therapist_id = h.to_therapist_id
                          WHERE f.name <> h.from_therapist_name
                             OR t.name <> h.to_therapist_name""",
        )
        == 0
    )
    # Sessions follow the transfers: before the first, the first therapist; after the last, the
    # current one; never-transferred clients only ever saw their own therapist.
    assert (
        value(
            conn,
            f"""SELECT count(*) FROM bookings b JOIN ({history}) x
                           ON x.client_id = b.invitee_id
                           WHERE (b.booking_start_at > x.transfer_date
                                  AND (x.next_date IS NULL OR b.booking_start_at < x.next_date)
                                  AND b.therapist_id <> x.to_therapist_id)
                              OR (x.previous_to IS NULL AND b.booking_start_at < x.transfer_date
                                  AND b.therapist_id <> x.from_therapist_id)""",
        )
        == 0
    )
    assert (
        value(
            conn,
            """SELECT count(*) FROM bookings b
                          JOIN all_clients_table c ON c.client_id = b.invitee_id
                          WHERE b.therapist_id <> c.therapist_id
                            AND NOT EXISTS (SELECT 1 FROM client_transfer_history h
                                            WHERE h.client_email = c.email_id)""",
        )
        == 0
    )
    assert (
        value(
            conn,
            "SELECT count(*) FROM client_transfer_history WHERE transfer_date >= %s",
            tiny[1].now,
        )
        == 0
    )


def test_dashboard_caches_agree_with_the_bookings(tiny):
    conn, summary = tiny
    per_therapist = """SELECT t.therapist_id, count(b.booking_id) AS total,
          count(*) FILTER (WHERE b.booking_status NOT IN ('cancelled', 'no_show')) AS held,
          count(*) FILTER (WHERE b.booking_status = 'cancelled') AS cancelled,
          count(*) FILTER (WHERE b.booking_status = 'no_show') AS no_shows,
          count(*) FILTER (WHERE b.booking_start_at >= %(now)s
                           AND b.booking_status IN ('confirmed', 'rescheduled')) AS upcoming
        FROM therapists t LEFT JOIN bookings b USING (therapist_id) GROUP BY t.therapist_id"""
    mismatches = conn.execute(
        f"""
        SELECT count(*) FROM ({per_therapist}) b
        LEFT JOIN therapist_dashboard_stats s USING (therapist_id)
        JOIN therapists t USING (therapist_id)
        WHERE (s.total_sessions, s.confirmed_sessions, s.cancelled_sessions, s.no_shows,
               s.upcoming_bookings, t.sessions_booked)
        IS DISTINCT FROM (b.total, b.held, b.cancelled, b.no_shows, b.upcoming,
                          b.total - b.cancelled)""",
        {"now": summary.now},
    ).fetchone()[0]
    assert mismatches == 0
    pairs = """SELECT b.therapist_id, b.invitee_email, b.invitee_name, b.invitee_phone,
                      count(*)::int,
                      max(b.booking_start_at) FILTER (WHERE b.booking_status = 'completed')
               FROM bookings b GROUP BY 1, 2, 3, 4"""
    summary_rows = """SELECT therapist_id, client_email, client_name, client_phone,
                             total_sessions, last_session_date FROM therapist_clients_summary"""
    assert rows(conn, f"({pairs}) EXCEPT ALL ({summary_rows})") == []
    assert rows(conn, f"({summary_rows}) EXCEPT ALL ({pairs})") == []
    recent = """SELECT therapist_id, invitee_name, invitee_phone, booking_mode, booking_start_at,
                       booking_status FROM bookings
                WHERE booking_start_at >= %(since)s"""
    cached = """SELECT therapist_id, client_name, contact_info, mode, booking_date,
                       booking_status FROM therapist_appointments_cache"""
    since = {"since": summary.now - dt.timedelta(days=7)}
    assert conn.execute(f"({recent}) EXCEPT ALL ({cached})", since).fetchall() == []
    assert conn.execute(f"({cached}) EXCEPT ALL ({recent})", since).fetchall() == []


def test_users_are_admins_and_one_login_per_therapist_with_fake_hashes(tiny):
    conn, summary = tiny
    admins = rows(
        conn, "SELECT username FROM users WHERE role = 'admin' AND therapist_id IS NULL ORDER BY id"
    )
    assert [name for (name,) in admins] == list(summary.admin_usernames)
    assert (
        value(
            conn,
            """SELECT count(*) FROM therapists t
                          WHERE (SELECT count(*) FROM users u WHERE u.therapist_id = t.therapist_id
                                 AND u.role = 'therapist' AND u.name = t.name) <> 1""",
        )
        == 0
    )
    assert value(conn, "SELECT count(*) FROM users WHERE role NOT IN ('admin', 'therapist')") == 0
    assert value(conn, "SELECT count(DISTINCT username) FROM users") == value(
        conn, "SELECT count(*) FROM users"
    )
    # Shaped like bcrypt, the hash of no password: never a password in clear.
    assert (
        value(conn, r"SELECT count(*) FROM users WHERE password !~ '^\$2b\$12\$[A-Za-z0-9]{53}$'")
        == 0
    )


def test_notes_describe_only_completed_sessions_of_the_past(tiny):
    conn, summary = tiny
    assert (
        value(
            conn,
            """SELECT count(*) FROM client_session_notes n JOIN bookings b USING (booking_id)
                          WHERE b.booking_status <> 'completed' OR b.booking_start_at >= %s
                             OR n.created_at < b.booking_end_at OR n.created_at > %s
                             OR n.updated_at < n.created_at
                             OR n.client_name <> b.invitee_name
                             OR n.host_name <> b.booking_host_name""",
            summary.now,
            summary.now,
        )
        == 0
    )
    assert (
        value(conn, "SELECT count(*) FROM client_session_notes WHERE session_status <> 'completed'")
        == 0
    )
    assert rows(
        conn, "SELECT DISTINCT current_risk_level FROM client_session_notes ORDER BY 1"
    ) == [("high",), ("low",), ("medium",)]
    assert (
        value(
            conn, "SELECT count(*) FROM client_session_notes WHERE cardinality(somatic_cues) >= 2"
        )
        > 0
    )
    assert (
        value(
            conn,
            """SELECT count(*) FROM client_additional_notes a JOIN bookings b
                          USING (booking_id) WHERE a.therapist_id <> b.therapist_id
                          OR b.booking_status <> 'completed' OR a.created_at > %s""",
            summary.now,
        )
        == 0
    )


def test_cancellations_and_refund_rows_agree_with_bookings_and_payments(tiny):
    conn, summary = tiny
    assert value(conn, "SELECT count(*) FROM booking_cancelled") == value(
        conn, "SELECT count(*) FROM bookings WHERE booking_status = 'cancelled'"
    )
    assert (
        value(
            conn,
            """SELECT count(*) FROM booking_cancelled c JOIN bookings b USING (booking_id)
                          WHERE b.booking_status <> 'cancelled'
                             OR c.cancelled_at IS DISTINCT FROM b.invitee_cancelled_at
                             OR c.cancelled_by IS DISTINCT FROM b.booking_cancelled_by
                             OR c.cancel_reason IS DISTINCT FROM b.booking_cancel_reason
                             OR c.cancelled_at >= b.booking_start_at OR c.cancelled_at > %s""",
            summary.now,
        )
        == 0
    )
    assert (
        value(
            conn,
            """SELECT count(*) FROM refund_cancellation_table r
                          JOIN bookings b ON b.booking_id = r.session_id
                          JOIN payments p ON p.booking_id = b.booking_id
                          WHERE (r.client_id, r.session_timings, r.payment_id, r.refund_status,
                                 r.refund_id)
                          IS DISTINCT FROM (b.invitee_id, b.booking_start_at, p.payment_id::text,
                                            b.refund_status, b.refund_id)
                             OR b.booking_status <> 'cancelled'""",
        )
        == 0
    )
    assert value(conn, "SELECT count(*) FROM refund_cancellation_table") == value(
        conn,
        """SELECT count(*) FROM bookings b JOIN appointment_table a
                 ON a.session_id = b.booking_id WHERE b.refund_status IS NOT NULL""",
    )


def test_sessions_lie_before_and_after_today_in_ist_office_hours(tiny):
    conn, summary = tiny
    past, future = conn.execute(
        """SELECT count(*) FILTER (WHERE booking_start_at < %(now)s),
                  count(*) FILTER (WHERE booking_start_at >= %(now)s) FROM bookings""",
        {"now": summary.now},
    ).fetchone()
    assert past > 0 and future > 0
    assert (
        value(
            conn,
            """SELECT count(*) FROM bookings WHERE booking_start_at::time < '09:00'
                          OR booking_end_at::time > '21:30'
                          OR booking_end_at - booking_start_at
                             <> make_interval(mins => booking_duration)""",
        )
        == 0
    )
    assert (
        value(
            conn,
            "SELECT count(*) FROM bookings WHERE invitee_created_at >= booking_start_at "
            "OR invitee_created_at > %s",
            summary.now,
        )
        == 0
    )
    assert (
        value(
            conn,
            "SELECT count(*) FROM bookings WHERE booking_status IN ('confirmed', "
            "'rescheduled') AND booking_start_at < %s",
            summary.now,
        )
        == 0
    )


def test_statuses_and_modes_are_those_the_clinic_uses(tiny):
    conn, _ = tiny

    def distinct(query: str) -> set:
        return {row[0] for row in rows(conn, query)}

    assert distinct("SELECT DISTINCT booking_status FROM bookings") == {
        "confirmed",
        "completed",
        "cancelled",
        "no_show",
        "rescheduled",
    }
    assert distinct("SELECT DISTINCT booking_mode FROM bookings") == {"online", "in-person"}
    assert distinct("SELECT DISTINCT refund_status FROM payments") == {
        None,
        "initiated",
        "processed",
        "failed",
    }
    assert distinct("SELECT DISTINCT status FROM booking_requests") <= {"sent", "booked", "expired"}
    assert "sent" in distinct("SELECT DISTINCT status FROM booking_requests")
    assert distinct("SELECT DISTINCT self_harm_mention FROM client_session_notes") == {"yes", "no"}


def test_content_looks_like_an_indian_clinic_with_international_clients(tiny):
    conn, _ = tiny
    names = {row[0] for row in rows(conn, "SELECT client_name FROM all_clients_table")}
    assert {
        "Zoë D'Souza",
        "Aarav Nārāyan",
        "Siobhán O'Connor",
        "Ananya Iyer",
        "José Álvarez",
    } <= names
    assert value(conn, "SELECT count(*) FROM all_clients_table WHERE client_name ~ '[^ -~]'") > 5
    assert value(conn, "SELECT count(*) FROM all_clients_table WHERE client_name LIKE '%''%'") > 1
    indian = value(
        conn,
        r"SELECT count(*) FROM all_clients_table "
        r"WHERE phone_number ~ '^\+91 [6-9]\d{4} \d{5}$'",
    )
    assert indian > TINY.clients * 0.8
    assert (
        value(conn, "SELECT count(*) FROM all_clients_table WHERE email_id !~ '^[a-z0-9.]+@'") == 0
    )
    currencies = dict(rows(conn, "SELECT currency, count(*) FROM payments GROUP BY 1"))
    assert currencies["INR"] > TINY.bookings * 0.8 and len(currencies) > 2
    inr = {
        row[0] for row in rows(conn, "SELECT DISTINCT amount FROM payments WHERE currency = 'INR'")
    }
    assert inr <= {Decimal(v) for v in ("1500.00", "2000.00", "2500.00", "3000.00", "3500.00")}
    assert (
        value(
            conn,
            "SELECT count(*) FROM therapists WHERE specialization ILIKE '%anxiety%' "
            "OR specialization ILIKE '%CBT%'",
        )
        > 0
    )
