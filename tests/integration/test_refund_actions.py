"""What a refund allows whom, asked of the database: the state machine, four eyes on the payment's
refunds in total (retries included), and approval thresholds changed only through their function."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.errors import ConflictError, PermissionDenied, ValidationError
from backoffice.services.refunds import (
    approve_refund,
    complete_refund,
    fail_refund,
    get_refund,
    request_refund,
    retry_refund,
    set_refund_threshold,
)
from backoffice.services.refunds.rules import ACTIONS
from tests.integration.refund_fixtures import clinic_fixture, unrefunded_payment  # noqa: F401

FIN, ADMIN = "demo_finance", "demo_admin"


def request(clinic, payment: int, amount: str, key: str):
    return clinic.run(
        FIN,
        request_refund,
        payment_id=payment,
        amount=amount,
        reason_code="goodwill",
        idempotency_key=key,
    )


def allowed(clinic, login: str, refund_id: int) -> dict[str, str | None]:
    """action -> None when allowed, else the sentence saying why not."""
    detail = clinic.run(login, get_refund, refund_id=refund_id)
    return {a.action: None if a.allowed else a.reason for a in detail.actions}


def test_the_window_names_exactly_the_actions_of_the_databases_state_machine(clinic):
    rows = clinic.sql("SELECT action FROM backoffice.refund_transitions()")
    assert [action for (action,) in rows] == list(ACTIONS)


def test_each_state_allows_the_actions_that_start_from_it_and_says_why_not_the_others(clinic):
    payment = unrefunded_payment(clinic, below="2000")
    refund = request(clinic, payment, "100.00", "form-1")
    assert [a for a, why in allowed(clinic, ADMIN, refund.id).items() if why is None] == [
        "approve",
        "reject",
    ]
    clinic.run(ADMIN, approve_refund, refund_id=refund.id)
    actions = allowed(clinic, ADMIN, refund.id)
    assert [a for a, why in actions.items() if why is None] == ["complete", "fail"]
    assert actions["retry"] == f"Refund {refund.id} is approved, so it cannot be retried."
    clinic.run(FIN, fail_refund, refund_id=refund.id, message="declined")
    assert [a for a, why in allowed(clinic, FIN, refund.id).items() if why is None] == ["retry"]
    clinic.run(FIN, retry_refund, refund_id=refund.id)
    clinic.run(FIN, complete_refund, refund_id=refund.id, gateway_reference="rfnd_ACT")
    actions = allowed(clinic, ADMIN, refund.id)
    assert all(why is not None for why in actions.values())
    assert actions["fail"] == f"Refund {refund.id} is completed, so it cannot be marked as failed."


def test_four_eyes_counts_the_payments_refunds_in_total_and_says_so(clinic):
    payment = unrefunded_payment(clinic, above="2400")
    first = request(clinic, payment, "1000.00", "form-1")
    assert not first.needs_second_approver
    clinic.run(FIN, approve_refund, refund_id=first.id)
    second = request(clinic, payment, "1500.00", "form-2")
    assert second.needs_second_approver  # 1,000 + 1,500 is above 2,000 though each part is not
    why = allowed(clinic, FIN, second.id)["approve"]
    assert why == (
        f"You requested refund #{second.id} yourself; with it, this payment's refunds come to "
        "INR 2,500.00, above the INR 2,000.00 threshold, so someone else must approve it "
        "(four eyes)."
    )
    with pytest.raises(PermissionDenied, match="someone else must approve it"):
        clinic.run(FIN, approve_refund, refund_id=second.id)
    assert allowed(clinic, ADMIN, second.id)["approve"] is None
    assert clinic.run(ADMIN, approve_refund, refund_id=second.id).approved_by == ADMIN


def test_a_failed_refund_above_the_threshold_is_retried_by_someone_else(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    refund = request(clinic, payment, "2000.01", "form-1")
    clinic.run(ADMIN, approve_refund, refund_id=refund.id)
    clinic.run(FIN, fail_refund, refund_id=refund.id, message="declined")
    with pytest.raises(PermissionDenied, match="someone else must approve it"):
        clinic.run(FIN, retry_refund, refund_id=refund.id)
    assert clinic.run(ADMIN, retry_refund, refund_id=refund.id).approved_by == ADMIN


def test_a_threshold_set_through_the_service_is_audited_and_in_force_from_the_next_transaction(
    clinic,
):
    payment = unrefunded_payment(clinic, above="2400")
    with pytest.raises(PermissionDenied):
        clinic.run(FIN, set_refund_threshold, currency="INR", amount="5000", reason="x")
    for currency, amount, reason in (("RUPEES", "1", "x"), ("INR", "-1", "x"), ("INR", "1", " ")):
        with pytest.raises(ValidationError):
            clinic.run(ADMIN, set_refund_threshold, currency=currency, amount=amount, reason=reason)
    result = clinic.run(
        ADMIN, set_refund_threshold, currency="inr", amount="5000", reason="busy season"
    )
    assert (result.currency, result.amount) == ("INR", Decimal("5000.00"))
    refund = request(clinic, payment, "2500.00", "form-1")
    assert clinic.run(FIN, approve_refund, refund_id=refund.id).approved_by == FIN
    assert clinic.sql(
        "SELECT actor, details ->> 'before', details ->> 'after', details ->> 'reason' "
        "FROM backoffice.audit_events WHERE action = 'refund.threshold_changed'"
    ) == [(ADMIN, "2000.00", "5000.00", "busy season")]
    assert clinic.sql(
        "SELECT set_by, amount FROM backoffice.refund_thresholds WHERE currency = 'INR' "
        "ORDER BY set_at"
    )[-1] == (ADMIN, Decimal("5000.00"))


def test_a_refund_in_the_wrong_state_is_a_conflict_in_words(clinic):
    payment = unrefunded_payment(clinic, below="2000")
    refund = request(clinic, payment, "10.00", "form-1")
    with pytest.raises(ConflictError, match="is requested, so it cannot be completed"):
        clinic.run(FIN, complete_refund, refund_id=refund.id, gateway_reference="rfnd_X")
