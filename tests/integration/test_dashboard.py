"""The dashboard on the demo clinic: each figure equals SQL written here, run as the owner; each role
through its own login, whose grants and row-level security apply."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import ProgrammingError

from backoffice.errors import NotFound
from backoffice.services.dashboard import (
    AdminDashboard,
    FinanceDashboard,
    Money,
    TherapistDashboard,
    get_dashboard,
)
from backoffice.services.permissions import Actor, Role

THERAPIST_LOGINS = ("demo_therapist", "demo_therapist2", "demo_therapist3")


@pytest.fixture(scope="module")
def owner(demo_database):
    """`owner(sql, **params)`: rows of a query run as the clinic's owner (no grants, no RLS)."""
    engine = sa.create_engine(demo_database.owner_url, poolclass=sa.NullPool, hide_parameters=True)

    def rows(sql: str, **params):
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).all()

    yield rows
    engine.dispose()


def scalar(owner, sql: str, **params):
    return owner(sql, **params)[0][0]


def dashboard_as(staff, login: str, **kwargs):
    ctx = staff(login)
    with ctx.uow() as uow:
        return get_dashboard(uow, ctx.actor, **kwargs)


# --- every role --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("login", "kind"),
    [
        ("demo_admin", AdminDashboard),
        ("demo_finance", FinanceDashboard),
        ("demo_therapist", TherapistDashboard),
    ],
)
def test_each_role_gets_its_own_dashboard_in_clinic_time(staff, owner, login, kind):
    dashboard = dashboard_as(staff, login)

    assert isinstance(dashboard, kind)
    clinic_now = scalar(owner, "SELECT CAST(now() AT TIME ZONE 'Asia/Kolkata' AS timestamp)")
    assert abs(clinic_now - dashboard.period.as_of) < dt.timedelta(minutes=5)
    assert dashboard.period.week_start.weekday() == 0
    assert dashboard.period.month_start == dashboard.period.today.replace(day=1)


def test_a_therapist_login_linked_to_no_therapist_is_told_so_in_words(staff):
    ctx = staff("demo_admin")
    unlinked = Actor(login_role="demo_admin", role=Role.THERAPIST, display_name="Nobody")

    with ctx.uow() as uow, pytest.raises(NotFound, match="not linked to a therapist"):
        get_dashboard(uow, unlinked)


# --- admin -------------------------------------------------------------------------------------


def test_admin_counts_equal_sql_on_the_last_day_of_the_busiest_transfer_month(staff, owner):
    month = scalar(
        owner,
        "SELECT date_trunc('month', transfer_date) FROM client_transfer_history "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 DESC LIMIT 1",
    )
    last_day = (month.date() + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    d = dashboard_as(staff, "demo_admin", today=last_day)

    assert d.period.today == last_day
    assert d.pending_applications == scalar(
        owner, "SELECT count(*) FROM backoffice.therapist_applications WHERE state = 'pending'"
    )
    assert d.applications_awaiting_information == scalar(
        owner,
        "SELECT count(*) FROM backoffice.therapist_applications WHERE state = 'needs_information'",
    )
    assert d.unreviewed_high_risk_notes == scalar(
        owner,
        "SELECT count(*) FROM client_session_notes n "
        "LEFT JOIN backoffice.note_reviews r ON r.note_id = n.note_id "
        "WHERE r.id IS NULL AND (n.self_harm_mention ILIKE 'yes' OR n.current_risk_level ILIKE 'high' "
        "OR n.note_id IN (SELECT note_id FROM backoffice.note_risk_scans WHERE phrases > 0))",
    )
    transfers = scalar(
        owner,
        "SELECT count(*) FROM client_transfer_history "
        "WHERE date_trunc('month', transfer_date) = :month",
        month=month,
    )
    assert transfers >= 2
    assert d.transfers_this_month == transfers
    assert d.pending_applications > 0 and d.unreviewed_high_risk_notes > 0  # not a vacuous test


def test_a_reviewed_high_risk_note_leaves_the_count(staff, owner):
    ctx = staff("demo_admin")
    with ctx.uow() as uow:
        before = get_dashboard(uow, ctx.actor).unreviewed_high_risk_notes
        note_id = scalar(
            owner,
            "SELECT min(note_id) FROM client_session_notes WHERE current_risk_level = 'high'",
        )
        uow.session.execute(
            sa.text(
                "INSERT INTO backoffice.note_reviews (note_id, outcome, comment) "
                "VALUES (:n, 'safety_plan', 'Called the client')"
            ),
            {"n": note_id},
        )
        after = get_dashboard(uow, ctx.actor).unreviewed_high_risk_notes

    assert after == before - 1


UTILISATION = """
SELECT t.therapist_id, t.name, coalesce(t.capacity, 0) AS capacity,
       (SELECT count(*) FROM bookings b WHERE b.therapist_id = t.therapist_id
          AND date_trunc('week', b.booking_start_at) = date_trunc('week', CAST(:day AS timestamp))
          AND (b.booking_status IS NULL OR b.booking_status <> 'cancelled')) AS booked
FROM therapists t
"""


def test_utilisation_lists_the_busiest_therapists_by_booked_over_capacity(staff, owner):
    d = dashboard_as(staff, "demo_admin", top=3)
    expected = {
        row.therapist_id: (row.name, row.booked, row.capacity)
        for row in owner(UTILISATION, day=d.period.as_of)
    }

    assert len(d.utilisation) == 3
    for load in d.utilisation:
        assert (load.name, load.booked, load.capacity) == expected[load.therapist_id]
    ratios = {tid: b / c if c else -1.0 for tid, (_n, b, c) in expected.items()}
    shown = [ratios[load.therapist_id] for load in d.utilisation]
    assert shown == sorted(shown, reverse=True)
    left_out = [
        r for tid, r in ratios.items() if tid not in {u.therapist_id for u in d.utilisation}
    ]
    assert max(left_out) <= min(shown)
    assert sum(load.booked for load in d.utilisation) > 0


# --- finance -----------------------------------------------------------------------------------

REVENUE = """
SELECT currency, count(*), sum(amount),
       coalesce(sum(CASE WHEN refund_status = 'processed' THEN refund_amount END), 0)
FROM payments
WHERE date_trunc('month', payment_date) = date_trunc('month', CAST(:day AS timestamp))
GROUP BY currency
"""


def test_finance_revenue_by_currency_equals_sql(staff, owner):
    d = dashboard_as(staff, "demo_finance")
    expected = {row[0]: tuple(row[1:]) for row in owner(REVENUE, day=d.period.as_of)}

    assert {r.currency: (r.payments, r.gross, r.refunded) for r in d.revenue} == expected
    assert all(r.net == r.gross - r.refunded for r in d.revenue)
    assert all(isinstance(r.gross, Decimal) and isinstance(r.net, Decimal) for r in d.revenue)
    assert d.chart_currency == max(expected, key=lambda c: expected[c][0])


def test_finance_daily_takings_cover_the_month_and_equal_sql(staff, owner):
    d = dashboard_as(staff, "demo_finance")
    rows = owner(
        "SELECT CAST(payment_date AS date), sum(amount), "
        "coalesce(sum(refund_amount) FILTER (WHERE refund_status = 'processed'), 0) "
        "FROM payments WHERE currency = :c "
        "AND date_trunc('month', payment_date) = date_trunc('month', CAST(:day AS timestamp)) "
        "GROUP BY 1",
        c=d.chart_currency,
        day=d.period.as_of,
    )
    expected = {day: (gross, refunded) for day, gross, refunded in rows}

    days = [t.day for t in d.daily_takings]
    assert days[0] == d.period.month_start and days[-1] == d.period.month_end - dt.timedelta(1)
    assert len(days) == (d.period.month_end - d.period.month_start).days
    assert {t.day: (t.gross, t.refunded) for t in d.daily_takings if t.gross} == expected


FAILED = """
SELECT currency, count(*), sum(coalesce(refund_amount, amount)) FROM payments
WHERE refund_status = 'failed' GROUP BY currency
"""
MISMATCHED = """
SELECT count(*) FROM payments p
WHERE EXISTS (SELECT 1 FROM bookings b WHERE b.booking_id = p.booking_id
              AND NOT (p.refund_amount IS NOT DISTINCT FROM b.refund_amount
                       AND p.refund_status IS NOT DISTINCT FROM b.refund_status
                       AND p.refund_id IS NOT DISTINCT FROM b.refund_id
                       AND p.refund_failed_date IS NOT DISTINCT FROM b.refund_failed_time))
   OR EXISTS (SELECT 1 FROM backoffice.refund_balances rb WHERE rb.payment_id = p.payment_id
              AND coalesce(p.refund_amount, 0) <> rb.refunded_before + rb.completed)
"""


def test_finance_failed_refunds_and_mismatches_equal_sql(staff, owner):
    d = dashboard_as(staff, "demo_finance")
    failed = owner(FAILED)

    assert d.failed_refunds == sum(n for _c, n, _t in failed) > 0
    assert set(d.failed_refund_totals) == {Money(c, t) for c, _n, t in failed}
    assert d.refund_mismatches == scalar(owner, MISMATCHED) > 0


def test_finance_sees_refunds_waiting_by_state_with_their_totals(staff, owner):
    ctx = staff("demo_finance")
    payments = owner(
        "(SELECT payment_id FROM payments WHERE refund_status IS NULL AND currency = 'INR' "
        " ORDER BY payment_id LIMIT 2) UNION ALL "
        "(SELECT payment_id FROM payments WHERE refund_status IS NULL AND currency = 'USD' "
        " ORDER BY payment_id LIMIT 1)"
    )
    with ctx.uow() as uow:
        empty = get_dashboard(uow, ctx.actor).refunds_waiting
        for i, (payment_id,) in enumerate(payments):
            uow.session.execute(
                sa.text(
                    "INSERT INTO backoffice.refunds (payment_id, amount, reason_code, "
                    "idempotency_key) VALUES (:p, :a, 'goodwill', :k)"
                ),
                {"p": payment_id, "a": Decimal("10.50") + i, "k": f"dashboard-test-{i}"},
            )
        uow.session.execute(
            sa.text("UPDATE backoffice.refunds SET state = 'approved' WHERE payment_id = :p"),
            {"p": payments[0][0]},
        )
        waiting = get_dashboard(uow, ctx.actor).refunds_waiting

    assert [(w.state, w.count, w.totals) for w in empty] == [
        ("requested", 0, ()),
        ("approved", 0, ()),
    ]
    requested, approved = waiting
    assert (requested.state, requested.count) == ("requested", 2)
    assert set(requested.totals) == {Money("INR", Decimal("11.50")), Money("USD", Decimal("12.50"))}
    assert (approved.state, approved.count, approved.totals) == (
        "approved",
        1,
        (Money("INR", Decimal("10.50")),),
    )


def test_a_refund_completed_with_raw_sql_writes_the_payment_too_and_leaves_no_mismatch(
    staff, owner
):
    ctx = staff("demo_finance")
    payment_id = scalar(
        owner,
        "SELECT min(p.payment_id) FROM payments p JOIN bookings b ON b.booking_id = p.booking_id "
        "WHERE p.refund_status IS NULL AND b.refund_status IS NULL",
    )
    with ctx.uow() as uow:
        before = get_dashboard(uow, ctx.actor).refund_mismatches
        uow.session.execute(
            sa.text(
                "INSERT INTO backoffice.refunds (payment_id, amount, reason_code, "
                "idempotency_key) VALUES (:p, 5, 'goodwill', 'dashboard-ledger')"
            ),
            {"p": payment_id},
        )
        for change in ("state = 'approved'", "state = 'completed', gateway_reference = 'rfnd_1'"):
            uow.session.execute(
                sa.text(f"UPDATE backoffice.refunds SET {change} WHERE payment_id = :p"),
                {"p": payment_id},
            )
        after = get_dashboard(uow, ctx.actor).refund_mismatches
        fields = uow.session.execute(
            sa.text(
                "SELECT p.refund_amount, p.refund_status, b.refund_amount, b.refund_id "
                "FROM payments p JOIN bookings b USING (booking_id) WHERE p.payment_id = :p"
            ),
            {"p": payment_id},
        ).one()

    assert after == before
    assert tuple(fields) == (5, "processed", 5, "rfnd_1")


def test_finance_may_not_read_any_note_table_yet_its_dashboard_works(staff):
    ctx = staff("demo_finance")
    with ctx.uow() as uow:
        assert isinstance(get_dashboard(uow, ctx.actor), FinanceDashboard)
    for table in ("client_session_notes", "backoffice.note_reviews"):
        with ctx.uow() as uow, pytest.raises(ProgrammingError, match="permission denied"):
            uow.session.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1"))


# --- therapist ---------------------------------------------------------------------------------

THERAPIST_FIGURES = """
SELECT
  (SELECT count(*) FROM bookings WHERE therapist_id = :t AND booking_status <> 'cancelled'
     AND CAST(booking_start_at AS date) = CAST(:now AS date)),
  (SELECT count(*) FROM bookings WHERE therapist_id = :t AND booking_status <> 'cancelled'
     AND date_trunc('week', booking_start_at) = date_trunc('week', CAST(:now AS timestamp))),
  (SELECT count(*) FROM all_clients_table WHERE therapist_id = :t),
  (SELECT count(*) FROM bookings b WHERE b.therapist_id = :t AND b.booking_status = 'completed'
     AND b.booking_end_at <= CAST(:now AS timestamp) - interval '2 days'
     AND b.booking_id NOT IN (SELECT booking_id FROM client_session_notes
                              WHERE booking_id IS NOT NULL))
"""


def therapist_reference(owner, therapist_id: str, now: dt.datetime) -> tuple[int, ...]:
    return tuple(owner(THERAPIST_FIGURES, t=therapist_id, now=now)[0])


@pytest.mark.parametrize("login", THERAPIST_LOGINS)
def test_a_therapist_counts_only_their_own_caseload(staff, owner, login):
    busiest_day = scalar(
        owner,
        "SELECT CAST(booking_start_at AS date) FROM bookings b "
        "JOIN backoffice.staff_accounts s ON s.therapist_id = b.therapist_id "
        "WHERE s.login_role = :login AND b.booking_status <> 'cancelled' "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 DESC LIMIT 1",
        login=login,
    )
    d = dashboard_as(staff, login, today=busiest_day)
    mine = therapist_reference(owner, d.therapist_id, d.period.as_of)
    everyone = owner("SELECT count(*) FROM all_clients_table")[0][0]

    # Notes due are the list the therapist works from: as of now, whatever day is drawn.
    now = dashboard_as(staff, login).period.as_of
    due_now = therapist_reference(owner, d.therapist_id, now)[3]
    assert (d.sessions_today, d.sessions_this_week, d.caseload, d.notes_due) == (*mine[:3], due_now)
    assert d.sessions_today > 0 and 0 < d.caseload < everyone
    assert [day.day for day in d.week] == [
        d.period.week_start + dt.timedelta(days=i) for i in range(7)
    ]
    assert sum(day.sessions for day in d.week) == d.sessions_this_week


def test_notes_due_today_equal_sql_for_each_therapist_and_some_are_due(staff, owner):
    dashboards = [dashboard_as(staff, login) for login in THERAPIST_LOGINS]

    for d in dashboards:
        assert d.notes_due == therapist_reference(owner, d.therapist_id, d.period.as_of)[3]
    assert any(d.notes_due for d in dashboards), "the demo plants overdue notes for them"
