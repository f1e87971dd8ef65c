"""Refund workflows on real PostgreSQL: every transition, every refusal, and what completion writes.

Each test has a private demo clinic (`clinic`) whose logins commit for real, so that one person's
request is what another person approves.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

import pandas as pd
import psycopg
import pytest
from psycopg import errors

from backoffice.errors import ConflictError, PermissionDenied, ValidationError
from backoffice.services.refunds import (
    approve_refund,
    complete_refund,
    fail_refund,
    get_payment_refunds,
    get_refund,
    list_refunds,
    reject_refund,
    request_refund,
    retry_refund,
)
from tests.conftest import DEMO_PASSWORDS
from tests.integration.refund_fixtures import clinic_fixture, unrefunded_payment  # noqa: F401
from tests.pg import libpq_conninfo

FIN, ADMIN = "demo_finance", "demo_admin"


def request(clinic, payment_id, amount, key, who=FIN, **extra):
    return clinic.run(
        who,
        request_refund,
        payment_id=payment_id,
        amount=amount,
        reason_code=extra.pop("reason_code", "goodwill"),
        idempotency_key=key,
        **extra,
    )


def ledger(clinic, refund_id):
    return clinic.sql(
        "SELECT state, amount, balance_before, balance_after, actor FROM backoffice.refund_events "
        "WHERE refund_id = %s ORDER BY id",
        refund_id,
    )


def refund_fields(clinic, payment_id):
    payment = clinic.sql(
        "SELECT refund_amount, refund_status, refund_id, refund_failed_date FROM payments "
        "WHERE payment_id = %s",
        payment_id,
    )[0]
    booking = clinic.sql(
        "SELECT b.refund_amount, b.refund_status, b.refund_id, b.refund_failed_time FROM bookings b "
        "JOIN payments p USING (booking_id) WHERE p.payment_id = %s",
        payment_id,
    )[0]
    return payment, booking


def test_above_the_threshold_a_second_person_approves_and_completion_makes_everything_agree(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    paid = clinic.value("SELECT amount FROM payments WHERE payment_id = %s", payment)
    refund = request(clinic, payment, None, "form-1")
    assert (refund.state, refund.amount, refund.needs_second_approver) == ("requested", paid, True)

    with pytest.raises(PermissionDenied, match="someone else must approve it"):
        clinic.run(FIN, approve_refund, refund_id=refund.id)
    approved = clinic.run(ADMIN, approve_refund, refund_id=refund.id)
    assert (approved.state, approved.approved_by) == ("approved", ADMIN)
    done = clinic.run(FIN, complete_refund, refund_id=refund.id, gateway_reference="rfnd_TEST001")
    assert (done.state, done.gateway_reference) == ("completed", "rfnd_TEST001")

    payment_row, booking_row = refund_fields(clinic, payment)
    assert payment_row == (paid, "processed", "rfnd_TEST001", None)
    assert booking_row == payment_row
    assert ledger(clinic, refund.id) == [
        ("requested", paid, paid, 0, FIN),
        ("approved", paid, 0, 0, ADMIN),
        ("completed", paid, 0, 0, FIN),
    ]
    assert clinic.sql(
        "SELECT refund_status, refund_id FROM refund_cancellation_table WHERE payment_id = %s",
        str(payment),
    ) == [("processed", "rfnd_TEST001")]
    assert clinic.sql(
        "SELECT n.notification_type, u.username FROM notifications n JOIN users u ON u.id = n.user_id "
        "WHERE n.notification_type LIKE 'refund_%%' AND n.message LIKE %s",
        f"Refund {refund.id} %",
    ) == [("refund_completed", FIN)]
    assert clinic.sql(
        "SELECT action, actor FROM backoffice.audit_events WHERE subject_type = 'refund' "
        "AND subject_id = %s ORDER BY id",
        str(refund.id),
    ) == [("refund.requested", FIN), ("refund.approved", ADMIN), ("refund.completed", FIN)]


def test_at_or_below_the_threshold_the_requester_may_approve_their_own_refund(clinic):
    payment = unrefunded_payment(clinic, below="2000")
    refund = request(clinic, payment, None, "form-1")
    assert not refund.needs_second_approver
    assert clinic.run(FIN, approve_refund, refund_id=refund.id).approved_by == FIN


def test_the_requester_cannot_approve_their_own_refund_with_raw_sql_either(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    refund = request(clinic, payment, "2000.01", "form-1")
    as_finance = libpq_conninfo(clinic.database.login_url(FIN, DEMO_PASSWORDS[FIN]))
    with psycopg.connect(as_finance) as conn:
        with pytest.raises(errors.InsufficientPrivilege, match="someone other than demo_finance"):
            conn.execute(
                "UPDATE backoffice.refunds SET state = 'approved' WHERE id = %s", (refund.id,)
            )
        conn.rollback()
        with pytest.raises(errors.InsufficientPrivilege):  # nor name someone else as approver
            conn.execute(
                "UPDATE backoffice.refunds SET approved_by = 'demo_admin' WHERE id = %s",
                (refund.id,),
            )
    as_admin = libpq_conninfo(clinic.database.login_url(ADMIN, DEMO_PASSWORDS[ADMIN]))
    with psycopg.connect(as_admin) as conn:
        conn.execute("UPDATE backoffice.refunds SET state = 'approved' WHERE id = %s", (refund.id,))
        conn.commit()
    assert (
        clinic.value("SELECT approved_by FROM backoffice.refunds WHERE id = %s", refund.id) == ADMIN
    )


def test_the_database_refuses_a_state_change_outside_the_state_machine(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    refund = request(clinic, payment, "10.00", "form-1")
    as_finance = libpq_conninfo(clinic.database.login_url(FIN, DEMO_PASSWORDS[FIN]))
    with psycopg.connect(as_finance) as conn:
        for sql in (
            "UPDATE backoffice.refunds SET state = 'completed', gateway_reference = 'x' "
            "WHERE id = %s",
            "UPDATE backoffice.refunds SET state = 'failed', failure_message = 'x' WHERE id = %s",
        ):
            with pytest.raises(errors.CheckViolation, match="cannot go from requested"):
                conn.execute(sql, (refund.id,))
            conn.rollback()
        with pytest.raises(errors.InsufficientPrivilege):  # the ledger is the triggers' alone
            conn.execute(
                "INSERT INTO backoffice.refund_events (refund_id, state, amount, "
                "balance_before, balance_after) VALUES (%s, 'completed', 1, 1, 1)",
                (refund.id,),
            )


def test_partial_refunds_never_add_up_to_more_than_was_paid(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    paid = clinic.value("SELECT amount FROM payments WHERE payment_id = %s", payment)
    first = request(clinic, payment, "1000.00", "form-1")
    left = paid - first.amount
    too_much = left + Decimal("0.01")
    with pytest.raises(ValidationError) as refused:
        request(clinic, payment, str(too_much), "form-2")
    assert str(refused.value) == (
        f"At most INR {left:,.2f} of payment {payment} can still be refunded; "
        f"INR {too_much:,.2f} is more than that."
    )
    rest = request(clinic, payment, None, "form-3")
    assert rest.amount == left
    with pytest.raises(ConflictError, match="nothing left to refund"):
        request(clinic, payment, "1", "form-4")
    summary = clinic.run(FIN, get_payment_refunds, payment_id=payment)
    assert (summary.refunded, summary.unconfirmed, summary.refundable) == (0, paid, 0)
    assert [r.id for r in summary.refunds] == [first.id, rest.id]


def test_an_earlier_refund_recorded_on_the_payment_counts_against_what_is_left(clinic):
    payment, paid, before = clinic.sql(
        "SELECT p.payment_id, p.amount, p.refund_amount FROM payments p JOIN bookings b "
        "USING (booking_id) WHERE p.refund_status = 'processed' AND p.refund_amount < p.amount "
        "AND (p.refund_amount, p.refund_status, p.refund_id) IS NOT DISTINCT FROM "
        "(b.refund_amount, b.refund_status, b.refund_id) ORDER BY 1 LIMIT 1"
    )[0]
    with pytest.raises(ValidationError, match="can still be refunded"):
        request(clinic, payment, str(paid - before + Decimal("0.01")), "form-1")
    refund = request(clinic, payment, None, "form-2")
    assert refund.amount == paid - before
    clinic.run(ADMIN, approve_refund, refund_id=refund.id)
    clinic.run(FIN, complete_refund, refund_id=refund.id, gateway_reference="rfnd_REST")
    assert refund_fields(clinic, payment)[0][:2] == (paid, "processed")


def test_a_rejected_refund_gives_its_amount_back(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    paid = clinic.value("SELECT amount FROM payments WHERE payment_id = %s", payment)
    refund = request(clinic, payment, None, "form-1")
    with pytest.raises(ValidationError, match="why the refund is rejected"):
        clinic.run(ADMIN, reject_refund, refund_id=refund.id, reason="  ")
    rejected = clinic.run(ADMIN, reject_refund, refund_id=refund.id, reason="Paid by mistake? No.")
    assert rejected.state == "rejected"
    assert clinic.sql(
        "SELECT balance_before, balance_after, reason FROM backoffice.refund_events "
        "WHERE refund_id = %s AND state = 'rejected'",
        refund.id,
    ) == [(0, paid, "Paid by mistake? No.")]
    assert request(clinic, payment, None, "form-2").amount == paid
    with pytest.raises(ConflictError, match="is rejected, so it cannot be approved"):
        clinic.run(ADMIN, approve_refund, refund_id=refund.id)


def test_a_failed_refund_is_recorded_retried_and_then_completed(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    refund = request(clinic, payment, "500.00", "form-1")
    clinic.run(ADMIN, approve_refund, refund_id=refund.id)
    with pytest.raises(ValidationError, match="the gateway's message"):
        clinic.run(FIN, fail_refund, refund_id=refund.id, message="")
    failed = clinic.run(FIN, fail_refund, refund_id=refund.id, message="Card account closed")
    assert (failed.state, failed.failure_message) == ("failed", "Card account closed")
    payment_row, booking_row = refund_fields(clinic, payment)
    assert payment_row[1] == booking_row[1] == "failed"
    assert payment_row[3] is not None and payment_row[3] == booking_row[3]
    assert (
        clinic.value(
            "SELECT count(*) FROM notifications WHERE notification_type = 'refund_failed' "
            "AND message LIKE %s",
            f"Refund {refund.id} %failed: Card account closed.",
        )
        == 1
    )

    with pytest.raises(ConflictError, match="is failed, so it cannot be completed"):
        clinic.run(FIN, complete_refund, refund_id=refund.id, gateway_reference="rfnd_X")
    retried = clinic.run(FIN, retry_refund, refund_id=refund.id)  # below the threshold
    assert (retried.state, retried.approved_by, retried.failure_message) == (
        "approved",
        FIN,  # a retry is an approval: the one who retried approved it again
        None,
    )
    clinic.run(FIN, complete_refund, refund_id=refund.id, gateway_reference="rfnd_RETRY")
    assert refund_fields(clinic, payment)[0] == (Decimal("500.00"), "processed", "rfnd_RETRY", None)
    states = [row[0] for row in ledger(clinic, refund.id)]
    assert states == ["requested", "approved", "failed", "approved", "completed"]


def test_each_action_is_refused_in_a_state_it_does_not_start_from(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    refund = request(clinic, payment, "100.00", "form-1")
    refusals = [
        (
            complete_refund,
            {"gateway_reference": "rfnd_1"},
            "is requested, so it cannot be completed",
        ),
        (fail_refund, {"message": "x"}, "is requested, so it cannot be marked as failed"),
        (retry_refund, {}, "is requested, so it cannot be retried"),
    ]
    for action, extra, sentence in refusals:
        with pytest.raises(ConflictError, match=sentence):
            clinic.run(FIN, action, refund_id=refund.id, **extra)
    clinic.run(FIN, approve_refund, refund_id=refund.id)
    for action, extra, sentence in [
        (approve_refund, {}, "is approved, so it cannot be approved"),
        (reject_refund, {"reason": "x"}, "is approved, so it cannot be rejected"),
        (retry_refund, {}, "is approved, so it cannot be retried"),
    ]:
        with pytest.raises(ConflictError, match=sentence):
            clinic.run(ADMIN, action, refund_id=refund.id, **extra)
    assert [row[0] for row in ledger(clinic, refund.id)] == ["requested", "approved"]


def test_a_gateway_reference_is_required_and_recorded_for_one_refund_only(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    first = request(clinic, payment, "100.00", "form-1")
    second = request(clinic, payment, "100.00", "form-2")
    for refund in (first, second):
        clinic.run(FIN, approve_refund, refund_id=refund.id)
    with pytest.raises(ValidationError, match="Enter the refund reference"):
        clinic.run(FIN, complete_refund, refund_id=first.id, gateway_reference=" ")
    clinic.run(FIN, complete_refund, refund_id=first.id, gateway_reference="rfnd_ONCE")
    with pytest.raises(ConflictError, match="already recorded for refund"):
        clinic.run(FIN, complete_refund, refund_id=second.id, gateway_reference="rfnd_ONCE")
    assert clinic.run(FIN, get_refund, refund_id=second.id).refund.state == "approved"


def test_a_request_repeated_with_the_same_key_creates_one_refund(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    first = request(clinic, payment, "300.00", "form-1")
    again = request(clinic, payment, "300.00", "form-1")
    assert (again.id, again.replayed, first.replayed) == (first.id, True, False)
    assert (
        clinic.value("SELECT count(*) FROM backoffice.refunds WHERE payment_id = %s", payment) == 1
    )
    assert len(ledger(clinic, first.id)) == 1
    assert (
        clinic.value(
            "SELECT count(*) FROM backoffice.audit_events "
            "WHERE action = 'refund.requested' AND subject_id = %s",
            str(first.id),
        )
        == 1
    )
    with pytest.raises(ConflictError, match="already used for refund"):
        request(clinic, payment, "301.00", "form-1")


def test_a_bad_amount_or_reason_is_refused_in_words_and_writes_nothing(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    cases = [
        ("10.005", "goodwill", "INR amounts have at most 2 decimals; 10.005 has more."),
        ("-5", "goodwill", "The amount to refund must be more than zero."),
        ("0", "goodwill", "The amount to refund must be more than zero."),
        ("ten", "goodwill", "The amount 'ten' is not a number."),
        ("5", "whim", "The reason must be one of"),
    ]
    for amount, reason, sentence in cases:
        with pytest.raises(ValidationError) as refused:
            request(clinic, payment, amount, f"form-{amount}", reason_code=reason)
        assert str(refused.value).startswith(sentence)
    assert clinic.value("SELECT count(*) FROM backoffice.refunds") == 0


def test_requesting_with_cancel_cancels_the_session_once(clinic):
    payment = unrefunded_payment(clinic, above="2000", status="confirmed")
    refund = request(
        clinic,
        payment,
        None,
        "form-1",
        cancel_session=True,
        reason_code="client_cancelled",
        note="Moving abroad",
    )
    assert refund.session_cancelled
    booking = clinic.value("SELECT booking_id FROM payments WHERE payment_id = %s", payment)
    assert clinic.sql(
        "SELECT booking_status, invitee_status, booking_cancelled_by FROM bookings "
        "WHERE booking_id = %s",
        booking,
    ) == [("cancelled", "cancelled", "invitee")]
    assert clinic.sql(
        "SELECT cancelled_by, cancel_reason FROM booking_cancelled WHERE booking_id = %s", booking
    ) == [("invitee", "The client cancelled: Moving abroad")]


def test_a_session_that_took_place_is_not_cancelled_and_nothing_is_refunded(clinic):
    payment = unrefunded_payment(clinic, above="2000", status="completed")
    with pytest.raises(ValidationError, match="already took place"):
        request(clinic, payment, None, "form-1", cancel_session=True)
    assert clinic.value("SELECT count(*) FROM backoffice.refunds") == 0


def test_a_therapist_may_not_request_approve_or_see_refunds(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    with pytest.raises(
        PermissionDenied, match=r"\(therapist\) does not allow you to request refunds"
    ):
        request(clinic, payment, "1", "form-1", who="demo_therapist")
    with pytest.raises(PermissionDenied):
        clinic.run("demo_therapist", list_refunds)


def test_decimal_amounts_survive_a_round_trip_through_pandas(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    for key, amount in (("a", "0.10"), ("b", "0.20"), ("c", "1234.57")):
        request(clinic, payment, amount, key)
    frame = pd.DataFrame([asdict(r) for r in clinic.run(FIN, list_refunds, payment_id=payment)])
    assert frame["amount"].dtype == object
    assert all(isinstance(value, Decimal) for value in frame["amount"])
    assert frame["amount"].sum() == Decimal("1234.87")  # 0.10 + 0.20 is not 0.30000000000000004
    again = request(clinic, payment, frame["amount"].iloc[-1], "d")
    assert again.amount == Decimal("0.10")
    assert clinic.value("SELECT amount FROM backoffice.refunds WHERE id = %s", again.id) == Decimal(
        "0.10"
    )
