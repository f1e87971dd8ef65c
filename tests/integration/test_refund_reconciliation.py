"""Reconciliation: the demo's disagreeing refund fields are found, and a repair makes them agree."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.demo import TINY
from backoffice.errors import ConflictError, PermissionDenied, ValidationError
from backoffice.services.refunds import (
    approve_refund,
    complete_refund,
    list_refund_mismatches,
    repair_refund_mismatch,
    request_refund,
)
from tests.integration.refund_fixtures import clinic_fixture, unrefunded_payment  # noqa: F401

FIN = "demo_finance"

DISAGREEING = """
SELECT p.payment_id FROM payments p JOIN bookings b USING (booking_id)
WHERE (p.refund_amount, p.refund_status, p.refund_id, p.refund_failed_date)
      IS DISTINCT FROM (b.refund_amount, b.refund_status, b.refund_id, b.refund_failed_time)
ORDER BY 1
"""


def test_every_payment_that_disagrees_with_its_booking_is_listed_with_what_disagrees(clinic):
    mismatches = clinic.run(FIN, list_refund_mismatches)
    expected = [row[0] for row in clinic.sql(DISAGREEING)]
    assert len(expected) == TINY.disagreeing_refunds
    assert [m.payment_id for m in mismatches] == expected
    for mismatch in mismatches:
        assert mismatch.problems, mismatch
        assert mismatch.keep_choices == ("payment", "booking")
        assert mismatch.ledger is None


def test_a_repair_keeps_the_chosen_side_on_both_rows_and_is_audited(clinic):
    mismatch = clinic.run(FIN, list_refund_mismatches)[0]
    with pytest.raises(ValidationError, match="you can keep: payment or booking"):
        clinic.run(FIN, repair_refund_mismatch, payment_id=mismatch.payment_id, keep="ledger")
    result = clinic.run(FIN, repair_refund_mismatch, payment_id=mismatch.payment_id, keep="booking")
    assert result.after == mismatch.booking
    assert mismatch.payment_id not in [
        m.payment_id for m in clinic.run(FIN, list_refund_mismatches)
    ]
    assert clinic.sql(
        "SELECT actor, details ->> 'kept' FROM backoffice.audit_events "
        "WHERE action = 'refund.mismatch_repaired' AND subject_id = %s",
        str(mismatch.payment_id),
    ) == [(FIN, "booking")]
    with pytest.raises(ConflictError, match="already agree"):
        clinic.run(FIN, repair_refund_mismatch, payment_id=mismatch.payment_id, keep="booking")


def test_a_payment_changed_behind_the_ledgers_back_is_listed_and_repaired_from_the_ledger(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    refund = clinic.run(
        FIN,
        request_refund,
        payment_id=payment,
        amount="400.00",
        reason_code="goodwill",
        idempotency_key="form-1",
    )
    clinic.run(FIN, approve_refund, refund_id=refund.id)
    clinic.run(FIN, complete_refund, refund_id=refund.id, gateway_reference="rfnd_LEDGER")
    assert payment not in [m.payment_id for m in clinic.run(FIN, list_refund_mismatches)]
    # Another program rewrites the payment's refund amount (and only the payment's).
    clinic.sql("UPDATE payments SET refund_amount = 40 WHERE payment_id = %s RETURNING 1", payment)

    mismatch = next(m for m in clinic.run(FIN, list_refund_mismatches) if m.payment_id == payment)
    assert mismatch.keep_choices == ("ledger",)
    assert mismatch.ledger is not None and mismatch.ledger.amount == Decimal("400.00")
    assert any(
        "add up to INR 400.00, but the payment says INR 40.00" in p for p in mismatch.problems
    )
    clinic.run(FIN, repair_refund_mismatch, payment_id=payment, keep="ledger")
    assert clinic.sql(
        "SELECT p.refund_amount, b.refund_amount, p.refund_id, b.refund_id FROM payments p "
        "JOIN bookings b USING (booking_id) WHERE p.payment_id = %s",
        payment,
    ) == [(Decimal("400.00"), Decimal("400.00"), "rfnd_LEDGER", "rfnd_LEDGER")]


def test_a_payment_whose_fields_disagree_is_not_refunded_until_repaired(clinic):
    payment = clinic.run(FIN, list_refund_mismatches)[0].payment_id
    with pytest.raises(ConflictError, match="repair them under reconciliation"):
        clinic.run(
            FIN,
            request_refund,
            payment_id=payment,
            amount=None,
            reason_code="goodwill",
            idempotency_key="form-1",
        )
    assert clinic.value("SELECT count(*) FROM backoffice.refunds") == 0


def test_a_therapist_may_neither_list_nor_repair(clinic):
    with pytest.raises(PermissionDenied):
        clinic.run("demo_therapist", list_refund_mismatches)
    with pytest.raises(PermissionDenied):
        clinic.run("demo_therapist", repair_refund_mismatch, payment_id=1, keep="payment")
