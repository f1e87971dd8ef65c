""" "Refunded" and "refundable" have one definition, `backoffice.payment_refunds`: break it inside a
transaction and the revenue, ledger, refunds and reconciliation reports, the finance dashboard and
reconciliation's list all change together."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from backoffice.db import UnitOfWork, create_engine
from backoffice.migrations.money_0004 import views
from backoffice.services.permissions import Actor, Role
from backoffice.services.refunds import approve_refund, complete_refund, request_refund
from tests.integration.money_figures import figures
from tests.integration.refund_fixtures import clinic_fixture  # noqa: F401

ALL_TIME = (dt.date(2020, 1, 1), dt.date(2030, 12, 31))
THIS_MONTH_UNREFUNDED = """
SELECT p.payment_id FROM payments p JOIN bookings b USING (booking_id)
WHERE p.refund_status IS NULL AND b.refund_status IS NULL AND p.currency = 'INR'
  AND p.amount <= 2000 AND b.booking_status = 'confirmed'
  AND p.payment_date >= date_trunc('month', now() AT TIME ZONE 'Asia/Kolkata')
ORDER BY p.payment_id LIMIT 1
"""
PARTLY_REFUNDED = """
SELECT p.payment_id FROM payments p JOIN bookings b USING (booking_id)
WHERE p.refund_status = 'processed' AND p.refund_amount < p.amount AND p.currency = 'INR'
  AND (p.refund_amount, p.refund_status, p.refund_id, p.refund_failed_date) IS NOT DISTINCT FROM
      (b.refund_amount, b.refund_status, b.refund_id, b.refund_failed_time)
ORDER BY p.payment_id LIMIT 1
"""
# What the website had refunded before the back-office, raised by one for every payment the
# back-office refunded: a wrong definition, in its one place.
BROKEN = (
    views.LEDGER_REFUNDS.replace("CREATE VIEW", "CREATE OR REPLACE VIEW")
    .replace("b.refunded_before", "(b.refunded_before + 1)")
    .replace(
        "(b.refunded_before + 1), b.before_pending",
        "(b.refunded_before + 1) AS refunded_before, b.before_pending",
    )
)


def _refund(clinic, query: str, key: str) -> None:
    payment = clinic.value(query)
    assert payment is not None, f"the demo clinic has no payment for {key}"
    refund = clinic.run(
        "demo_finance",
        request_refund,
        payment_id=payment,
        amount="100.00",
        reason_code="goodwill",
        idempotency_key=key,
    )
    clinic.run("demo_finance", approve_refund, refund_id=refund.id)
    clinic.run(
        "demo_finance", complete_refund, refund_id=refund.id, gateway_reference=f"rfnd_{key}"
    )


def test_breaking_the_one_definition_changes_every_report_the_dashboard_and_reconciliation(clinic):
    _refund(clinic, THIS_MONTH_UNREFUNDED, "this_month")  # the dashboard's month
    _refund(clinic, PARTLY_REFUNDED, "partly")  # a website refund before: a dated ledger line
    assert "(b.refunded_before + 1) AS refunded_before" in BROKEN
    engine = create_engine(clinic.database.owner_url, poolclass=sa.NullPool)
    actor = Actor(login_role="owner", role=Role.FINANCE, display_name="The owner, as finance")
    with engine.connect() as connection, connection.begin() as transaction:
        today = connection.execute(
            sa.text("SELECT CAST(now() AT TIME ZONE 'Asia/Kolkata' AS date)")
        ).scalar_one()
        with UnitOfWork(connection) as uow:
            before = figures(uow, actor, today, ALL_TIME)
        connection.execute(sa.text(BROKEN))
        with UnitOfWork(connection) as uow:
            after = figures(uow, actor, today, ALL_TIME)
        transaction.rollback()
    engine.dispose()
    changed = {name for name in vars(before) if getattr(before, name) != getattr(after, name)}
    assert changed >= {
        "revenue_refunded",
        "revenue_by_therapist",
        "ledger_refunded",
        "refunds_left",
        "reconciliation_mismatches",
        "dashboard_refunded",
        "dashboard_mismatches",
        "listed_mismatches",
    }
