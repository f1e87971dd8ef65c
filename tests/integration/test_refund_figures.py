"""Issue #14 item 1: a payment half refunded and still pending at the gateway, whose booking disagrees,
repaired and then refunded the rest: the clinic's columns never claim more than was confirmed, the
ledger keeps the truth, and every report and the dashboard count the same refunded amount."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.services.refunds import (
    approve_refund,
    complete_refund,
    get_payment_refunds,
    list_refund_mismatches,
    repair_refund_mismatch,
    request_refund,
)
from tests.integration.money_figures import Figures, figures
from tests.integration.refund_fixtures import clinic_fixture  # noqa: F401

FIN, ADMIN = "demo_finance", "demo_admin"
THIS_MONTH = """
SELECT p.payment_id, p.amount FROM payments p JOIN bookings b USING (booking_id)
WHERE p.refund_status IS NULL AND b.refund_status IS NULL AND p.currency = 'INR'
  AND b.booking_status = 'confirmed'
  AND p.payment_date >= date_trunc('month', now() AT TIME ZONE 'Asia/Kolkata')
ORDER BY p.payment_id LIMIT 1
"""
HALF_PENDING = """
UPDATE payments SET refund_amount = %s, refund_status = 'pending', refund_id = 'rfnd_half',
       refund_initiation_date = now() AT TIME ZONE 'Asia/Kolkata'
WHERE payment_id = %s RETURNING 1
"""
FIELDS = """
SELECT p.refund_amount, p.refund_status, p.refund_id, b.refund_amount, b.refund_status, b.refund_id
FROM payments p JOIN bookings b USING (booking_id) WHERE p.payment_id = %s
"""


def finance_figures(clinic) -> tuple[dt.date, Figures]:
    engine, actor = clinic.login(FIN)
    with UnitOfWork(engine) as uow:
        today = uow.session.execute(
            sa.text("SELECT CAST(now() AT TIME ZONE 'Asia/Kolkata' AS date)")
        ).scalar_one()
        return today, figures(uow, actor, today)


def test_a_pending_half_is_never_shown_as_processed_and_every_figure_agrees(clinic):
    payment, paid = clinic.sql(THIS_MONTH)[0]
    half = (paid / 2).quantize(Decimal("0.01"))
    clinic.sql(HALF_PENDING, half, payment)  # the booking website; the booking still says nothing
    _, before = finance_figures(clinic)

    mismatch = next(m for m in clinic.run(FIN, list_refund_mismatches) if m.payment_id == payment)
    assert mismatch.keep_choices == ("payment", "booking")
    clinic.run(FIN, repair_refund_mismatch, payment_id=payment, keep="payment")
    summary = clinic.run(FIN, get_payment_refunds, payment_id=payment)
    assert (summary.refunded, summary.unconfirmed, summary.refundable) == (0, half, paid - half)

    rest = clinic.run(
        FIN,
        request_refund,
        payment_id=payment,
        amount=None,
        reason_code="client_cancelled",
        idempotency_key="half-rest",
    )
    assert rest.amount == paid - half
    clinic.run(ADMIN, approve_refund, refund_id=rest.id)
    clinic.run(FIN, complete_refund, refund_id=rest.id, gateway_reference="rfnd_rest")

    # The columns say what was confirmed, and no more: not the whole payment "processed".
    assert clinic.sql(FIELDS, payment) == [
        (paid - half, "processed", "rfnd_rest", paid - half, "processed", "rfnd_rest")
    ]
    summary = clinic.run(FIN, get_payment_refunds, payment_id=payment)
    assert (summary.refunded, summary.unconfirmed, summary.refundable) == (paid - half, half, 0)
    assert payment not in [m.payment_id for m in clinic.run(FIN, list_refund_mismatches)]

    _, after = finance_figures(clinic)
    confirmed = {"INR": paid - half}
    assert _delta(before.revenue_refunded, after.revenue_refunded) == confirmed
    assert _delta(before.revenue_by_therapist, after.revenue_by_therapist) == confirmed
    assert _delta(before.ledger_refunded, after.ledger_refunded) == confirmed
    assert _delta(before.dashboard_refunded, after.dashboard_refunded) == confirmed
    assert _delta(before.refunds_by_state, after.refunds_by_state) == {"completed": paid - half}
    assert after.dashboard_mismatches == after.listed_mismatches == before.listed_mismatches - 1


def _delta(before: dict[str, Decimal], after: dict[str, Decimal]) -> dict[str, Decimal]:
    keys = set(before) | set(after)
    changes = {k: after.get(k, Decimal(0)) - before.get(k, Decimal(0)) for k in keys}
    return {k: v for k, v in changes.items() if v}
