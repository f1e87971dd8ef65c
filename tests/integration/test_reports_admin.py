"""Admin and clinical reports, and reconciliation of planted problems: numbers against SQL."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
import sqlalchemy as sa

from backoffice.db import UnitOfWork, create_engine
from backoffice.services.login import identify
from backoffice.services.notes import review_note
from backoffice.services.reports import run_report
from tests.conftest import DEMO_PASSWORDS
from tests.integration.report_fixtures import (
    csv_tables,
    first_int,
    pdf_lines,
    pdf_pages,
    quarter_before,
    run,
    sql,
    total_line,
)
from tests.pg import libpq_conninfo

CONFIDENTIAL = "CONFIDENTIAL: contains personal health information."
ALL_TIME = (dt.date(2020, 1, 1), dt.date(2030, 12, 31))


@pytest.fixture
def admin(staff):
    return staff("demo_admin")


def test_utilisation_totals_are_the_period_s_bookings(admin, tmp_path):
    period = quarter_before(admin.connection)
    counts = sql(
        admin,
        """SELECT count(*) AS booked,
        count(*) FILTER (WHERE booking_status = 'completed') AS completed,
        count(*) FILTER (WHERE booking_status = 'cancelled') AS cancelled,
        count(*) FILTER (WHERE booking_status = 'no_show') AS no_shows
        FROM public.bookings WHERE booking_start_at >= :start AND booking_start_at < :end""",
        start=period[0],
        end=period[1] + dt.timedelta(days=1),
    )[0]

    result = run(admin, "utilisation", tmp_path / "u.csv", period)
    rows = csv_tables(result.path)[""]

    assert sum(int(r["Booked"]) for r in rows) == counts.booked
    assert sum(int(r["Completed"]) for r in rows) == counts.completed
    assert sum(int(r["Cancelled"]) for r in rows) == counts.cancelled
    assert sum(int(r["No-shows"]) for r in rows) == counts.no_shows
    assert sum(int(r["Held"]) for r in rows) == counts.booked - counts.cancelled


def test_utilisation_pdf_totals_row_and_chart(admin, tmp_path):
    period = quarter_before(admin.connection)
    booked = sql(
        admin,
        """SELECT count(*) AS n FROM public.bookings
        WHERE booking_start_at >= :start AND booking_start_at < :end""",
        start=period[0],
        end=period[1] + dt.timedelta(days=1),
    )[0].n

    result = run(admin, "utilisation", tmp_path / "u.pdf", period)
    lines = pdf_lines(result.path)

    total = total_line(lines, "Sessions and capacity by therapist")
    numbers = [int(n.replace(",", "")) for n in total.split()[1:8]]
    assert numbers[1] == booked  # "Per week" is not totalled: capacity, booked, held, ...
    assert "Utilisation by therapist" in lines  # the chart's title (8 therapists: all charted)


def test_transfers_list_every_transfer_and_caseload_changes_add_up(admin, tmp_path):
    transfers = sql(admin, "SELECT count(*) AS n FROM public.client_transfer_history")[0].n

    result = run(admin, "transfers", tmp_path / "t.csv", ALL_TIME)
    tables = csv_tables(result.path)

    assert len(tables["Transfers"]) == transfers > 0
    changes = tables["Caseload change by therapist"]
    assert sum(int(r["Clients in"]) for r in changes) == transfers
    assert sum(int(r["Net change"]) for r in changes) == 0


def test_caseload_counts_clients_and_notes_due(admin, tmp_path):
    expected = sql(
        admin,
        """SELECT
        (SELECT count(*) FROM public.all_clients_table WHERE therapist_id IS NOT NULL) AS clients,
        (SELECT count(*) FROM public.bookings b WHERE b.booking_status = 'completed'
           AND b.booking_end_at < now() AT TIME ZONE 'Asia/Kolkata' - interval '48 hours'
           AND NOT EXISTS (SELECT 1 FROM public.client_session_notes n
                           WHERE n.booking_id = b.booking_id)) AS due""",
    )[0]

    result = run(admin, "caseload", tmp_path / "c.pdf", quarter_before(admin.connection))
    total = total_line(
        pdf_lines(result.path), "Caseload by therapist, high risk and notes due first"
    )

    assert first_int(total) == expected.clients
    assert expected.due > 0 and f" {expected.due} " in total


def test_risk_review_lists_the_high_risk_notes_with_a_confidentiality_footer(admin, tmp_path):
    risky = """SELECT n.note_id FROM public.client_session_notes n
        WHERE lower(n.current_risk_level) = 'high' OR lower(n.self_harm_mention) = 'yes'
           OR n.note_id IN (SELECT note_id FROM backoffice.note_risk_scans WHERE phrases > 0)"""
    notes = sql(admin, risky)
    waiting = sql(
        admin,
        f"""SELECT r.note_id FROM ({risky}) r WHERE NOT EXISTS
        (SELECT 1 FROM backoffice.note_reviews v WHERE v.note_id = r.note_id) ORDER BY 1""",
    )
    with admin.uow() as uow:
        review_note(
            uow,
            admin.actor,
            note_id=waiting[0].note_id,
            outcome="safety_plan",
            comment="Plan agreed with the therapist",
        )
    outcomes = sql(
        admin,
        """SELECT outcome, count(*) AS n FROM backoffice.note_reviews GROUP BY outcome""",
    )

    result = run(admin, "risk-review", tmp_path / "r.pdf", ALL_TIME)
    pages = pdf_pages(result.path)

    assert all(CONFIDENTIAL in page for page in pages)
    lines = [line for page in pages for line in page.splitlines()]
    assert total_line(lines, "Notes by review outcome") == f"Total {len(notes)}"
    assert f"not reviewed {len(waiting) - 1}" in lines
    assert all(f"{row.outcome} {row.n}" in lines for row in outcomes)


def test_risk_review_lists_risk_language_in_the_text_with_its_phrases_read_on_record(
    admin, tmp_path
):
    owner_flags = sql(
        admin,
        """SELECT s.note_id FROM backoffice.note_risk_scans s JOIN client_session_notes n
        USING (note_id) WHERE s.phrases > 0 AND lower(n.current_risk_level) <> 'high'
        AND lower(n.self_harm_mention) = 'no'""",
    )
    result = run(admin, "risk-review", tmp_path / "r.csv", ALL_TIME)
    rows = csv_tables(result.path)["High-risk notes, unreviewed first"]
    mentions = {int(r["Note"]): r["Text mentions"] for r in rows if r["Text mentions"]}
    assert {f.note_id for f in owner_flags} <= set(mentions) and owner_flags
    assert any("'marna chahti'" in m for m in mentions.values())
    with admin.uow() as uow:
        recorded = uow.session.execute(
            sa.text(
                "SELECT count(*) FROM backoffice.note_openings WHERE purpose = 'phrases' "
                "AND batch_id = (SELECT max(batch_id) FROM backoffice.note_openings)"
            )
        ).scalar()
    assert recorded == len(mentions)


def test_client_history_shows_one_client_s_sessions(admin, tmp_path):
    client = sql(
        admin,
        """SELECT invitee_id, count(*) AS n FROM public.bookings
        GROUP BY invitee_id ORDER BY count(*) DESC, invitee_id LIMIT 1""",
    )[0]

    result = run(admin, "client-history", tmp_path / "h.csv", ALL_TIME, client_id=client.invitee_id)
    pdf = run(admin, "client-history", tmp_path / "h.pdf", ALL_TIME, client_id=client.invitee_id)

    assert len(csv_tables(result.path)["Sessions"]) == client.n
    assert all(CONFIDENTIAL in page for page in pdf_pages(pdf.path))


@pytest.fixture
def planted(demo_clone):
    """A private clinic with a payment pointing to no booking and a paid booking without payment."""
    with psycopg.connect(libpq_conninfo(demo_clone.owner_url), autocommit=True) as conn:
        (unbooked, orphaned), (unpaid, booking) = conn.execute(
            "SELECT payment_id, booking_id FROM payments ORDER BY payment_id LIMIT 2"
        ).fetchall()
        conn.execute("UPDATE payments SET booking_id = NULL WHERE payment_id = %s", (unbooked,))
        conn.execute("DELETE FROM payments WHERE payment_id = %s", (unpaid,))
    url = demo_clone.login_url("demo_finance", DEMO_PASSWORDS["demo_finance"])
    engine = create_engine(url, poolclass=sa.NullPool)
    # The payment's old booking now has no payment either: both are found.
    yield engine, identify(engine, url), unbooked, sorted([orphaned, booking])
    engine.dispose()


def test_reconciliation_finds_planted_problems_and_disagreeing_refunds(planted, tmp_path):
    engine, actor, unbooked, bookings = planted
    with engine.connect() as conn:
        disagreeing = conn.execute(
            sa.text("""SELECT count(*) FROM public.payments p
            JOIN public.bookings b USING (booking_id)
            WHERE p.refund_amount IS DISTINCT FROM b.refund_amount
               OR p.refund_status IS DISTINCT FROM b.refund_status
               OR p.refund_id IS DISTINCT FROM b.refund_id
               OR p.refund_failed_date IS DISTINCT FROM b.refund_failed_time""")
        ).scalar_one()

    run_report(
        lambda: UnitOfWork(engine),
        actor,
        name="reconciliation",
        period_from=ALL_TIME[0],
        period_to=ALL_TIME[1],
        path=tmp_path / "r.csv",
    )
    tables = csv_tables(tmp_path / "r.csv")

    assert len(tables["Refund fields that disagree"]) == disagreeing > 0
    assert [r["Payment"] for r in tables["Payments without a booking"]] == [str(unbooked)]
    assert sorted(r["Booking"] for r in tables["Paid bookings without a payment"]) == bookings
