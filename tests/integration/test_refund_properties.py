"""Issue #14: after any sequence of refund actions (request, approve, reject, complete, fail, retry,
the booking website changing a booking's refund fields, repair), the revenue, refunds, ledger and
reconciliation reports and the finance dashboard agree on every figure, and no payment's own
columns claim more than was confirmed.

Hypothesis draws the sequences; each example plants two fresh payments paid today on one demo
clone and compares what every figure moved by with what the refunds themselves say.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backoffice.db import UnitOfWork
from backoffice.errors import BackofficeError
from backoffice.services import refunds as R
from tests.integration.money_figures import Figures, figures
from tests.integration.refund_fixtures import clinic_fixture  # noqa: F401

LOGINS = ("demo_finance", "demo_admin")
KINDS = ("request", "approve", "reject", "complete", "fail", "retry", "website", "repair")
AMOUNTS = ("100.00", "999.99", "1000.00", "1500.00", None)  # None: all that is left
PAID = Decimal("3000.00")
_references = itertools.count(1)

PLANT_BOOKING = """
INSERT INTO bookings (booking_id, therapist_id, invitee_name, booking_status, booking_start_at,
                      invitee_payment_amount, invitee_payment_currency)
SELECT %(booking)s, min(therapist_id), 'Property Client', 'confirmed',
       now() AT TIME ZONE 'Asia/Kolkata' + interval '3 days', %(paid)s, 'INR' FROM therapists
"""
PLANT_PAYMENT = """
INSERT INTO payments (booking_id, invitee_name, amount, currency, payment_date,
                      payment_gateway_name)
VALUES (%(booking)s, 'Property Client', %(paid)s, 'INR', now() AT TIME ZONE 'Asia/Kolkata',
        'Razorpay') RETURNING payment_id
"""
WEBSITE = "UPDATE bookings SET refund_status = 'initiated' WHERE booking_id = %s RETURNING 1"

# Requests and approvals drawn more often, so that sequences reach completions and failures.
steps = st.lists(
    st.tuples(
        st.sampled_from((*KINDS, "request", "request", "approve", "complete")),
        st.integers(0, 7),
        st.sampled_from(AMOUNTS),
    ),
    max_size=20,
)


class Example:
    """Two planted payments and the refunds one example made of them."""

    def __init__(self, clinic: Any) -> None:
        self.clinic = clinic
        self.bookings = [f"PROP-{uuid.uuid4().hex[:10]}" for _ in range(2)]
        self.payments = [self._plant(b) for b in self.bookings]
        self.refunds: list[int] = []

    def _plant(self, booking: str) -> int:
        with self.clinic.owner() as conn:
            conn.execute(PLANT_BOOKING, {"booking": booking, "paid": PAID})
            row = conn.execute(PLANT_PAYMENT, {"booking": booking, "paid": PAID}).fetchone()
        assert row is not None
        return int(row[0])

    def act(self, kind: str, n: int, amount: str | None) -> None:
        login = LOGINS[n % 2]
        payment, booking = self.payments[n % 2], self.bookings[n % 2]
        refund = self.refunds[n % len(self.refunds)] if self.refunds else None
        work = self._work(kind, payment, booking, refund, amount)
        if work is None:
            return
        try:
            result = self.clinic.run(login, work[0], **work[1])
        except BackofficeError:
            return  # refused in words: the rules held; the figures must still agree
        if kind == "request":
            self.refunds.append(result.id)

    def _work(
        self, kind: str, payment: int, booking: str, refund: int | None, amount: str | None
    ) -> tuple[Callable[..., Any], dict[str, Any]] | None:
        if kind == "request":
            key = uuid.uuid4().hex
            return R.request_refund, {
                "payment_id": payment,
                "amount": amount,
                "reason_code": "goodwill",
                "idempotency_key": key,
            }
        if kind == "website":
            self.clinic.sql(WEBSITE, booking)
            return None
        if kind == "repair":
            found = [m for m in self.clinic.run("demo_finance", R.list_refund_mismatches)]
            mine = [m for m in found if m.payment_id == payment]
            return (
                (R.repair_refund_mismatch, {"payment_id": payment, "keep": mine[0].keep_choices[0]})
                if mine
                else None
            )
        if refund is None:
            return None
        extra = {
            "approve": {},
            "retry": {},
            "reject": {"reason": "not this time"},
            "fail": {"message": "declined by the bank"},
            "complete": {"gateway_reference": f"rfnd_prop_{next(_references)}"},
        }[kind]
        service = {
            "approve": R.approve_refund,
            "retry": R.retry_refund,
            "reject": R.reject_refund,
            "fail": R.fail_refund,
            "complete": R.complete_refund,
        }[kind]
        return service, {"refund_id": refund, **extra}


def finance_figures(clinic: Any) -> Figures:
    engine, actor = clinic.login("demo_finance")
    with UnitOfWork(engine) as uow:
        today = uow.session.execute(
            sa.text("SELECT CAST(now() AT TIME ZONE 'Asia/Kolkata' AS date)")
        ).scalar_one()
        return figures(uow, actor, today)


def delta(before: dict[str, Decimal], after: dict[str, Decimal]) -> dict[str, Decimal]:
    keys = set(before) | set(after)
    moved = {k: after.get(k, Decimal(0)) - before.get(k, Decimal(0)) for k in keys}
    return {k: v for k, v in moved.items() if v}


def ledger_truth(clinic: Any, refunds: list[int]) -> dict[str, Decimal]:
    rows = clinic.sql(
        "SELECT state, sum(amount) FROM backoffice.refunds WHERE id = ANY(%s) GROUP BY state",
        refunds,
    )
    return {state: total for state, total in rows if total}


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=steps)
def test_every_finance_figure_agrees_after_any_sequence_of_refund_actions(clinic, sequence):
    before = finance_figures(clinic)
    example = Example(clinic)
    for kind, n, amount in sequence:
        example.act(kind, n, amount)
    after = finance_figures(clinic)

    truth = ledger_truth(clinic, example.refunds)
    refunded = {"INR": truth["completed"]} if truth.get("completed") else {}
    assert delta(before.revenue_refunded, after.revenue_refunded) == refunded
    assert delta(before.revenue_by_therapist, after.revenue_by_therapist) == refunded
    assert delta(before.ledger_refunded, after.ledger_refunded) == refunded
    assert delta(before.dashboard_refunded, after.dashboard_refunded) == refunded
    assert delta(before.refunds_by_state, after.refunds_by_state) == truth
    waiting = {s: truth[s] for s in ("requested", "approved") if truth.get(s)}
    assert delta(before.dashboard_waiting, after.dashboard_waiting) == waiting
    failed = {"INR": truth["failed"]} if truth.get("failed") else {}
    assert delta(before.dashboard_failed, after.dashboard_failed) == failed
    moved = after.listed_mismatches - before.listed_mismatches
    assert after.dashboard_mismatches - before.dashboard_mismatches == moved
    assert after.reconciliation_mismatches - before.reconciliation_mismatches == moved
    for payment in example.payments:
        _never_overstated(clinic, payment)


def _never_overstated(clinic: Any, payment: int) -> None:
    ((paid, refunded, unconfirmed, refundable, shown, status),) = clinic.sql(
        "SELECT pr.paid, pr.refunded, pr.unconfirmed, pr.refundable, p.refund_amount, "
        "p.refund_status FROM backoffice.payment_refunds pr JOIN payments p USING (payment_id) "
        "WHERE payment_id = %s",
        payment,
    )
    assert refunded + unconfirmed + refundable == paid and refundable >= 0
    if status == "processed":
        assert shown <= refunded
