"""Refunds with raw SQL as each role: a person names payment, amount and reason, and nothing else;
the database fills in who, when, currency and state, and keeps the ledger itself."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from tests.security.conftest import BOOKING_OF_A

INSERT = (
    "INSERT INTO backoffice.refunds (payment_id, amount, reason_code, idempotency_key{extra}) "
    "SELECT payment_id, 100, 'goodwill', %s{value} FROM public.payments WHERE booking_id = %s "
    "RETURNING id, state, requested_by, currency, approved_by"
)


def _insert(conn: psycopg.Connection, key: str, extra: str = "", value: str = "") -> tuple:
    row = conn.execute(INSERT.format(extra=extra, value=value), (key, BOOKING_OF_A)).fetchone()
    assert row is not None
    return row


@pytest.mark.parametrize("who", ["admin", "finance"])
def test_a_refund_row_is_filled_in_by_the_database_not_by_the_person(secured_clinic, who):
    with secured_clinic.connect(who) as conn, conn.transaction(force_rollback=True):
        refund_id, state, requested_by, currency, approved_by = _insert(conn, f"sec-{who}")
        assert (state, requested_by, currency, approved_by) == (
            "requested",
            secured_clinic.logins[who],
            "INR",
            None,
        )
        ledger = conn.execute(
            "SELECT state, amount, balance_before, balance_after, actor FROM "
            "backoffice.refund_events WHERE refund_id = %s",
            (refund_id,),
        ).fetchall()
        assert ledger == [("requested", 100, 1500, 1400, secured_clinic.logins[who])]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("state", "'completed'"),
        ("requested_by", "'someone_else'"),
        ("approved_by", "'x'"),
        ("currency", "'USD'"),
        ("gateway_reference", "'rfnd_x'"),
    ],
)
def test_nobody_may_write_who_when_or_state_into_a_new_refund(secured_clinic, column, value):
    with (
        secured_clinic.connect("finance") as conn,
        conn.transaction(force_rollback=True),
        pytest.raises(errors.InsufficientPrivilege),
    ):
        _insert(conn, "sec-forged", extra=f", {column}", value=f", {value}")


@pytest.mark.parametrize(
    ("assignment", "refusal"),
    [
        ("amount = 1", errors.InsufficientPrivilege),
        ("approved_by = 'x'", errors.InsufficientPrivilege),
        ("requested_by = 'x'", errors.InsufficientPrivilege),
        ("state = 'completed', gateway_reference = 'r'", errors.CheckViolation),
    ],
)
def test_a_refund_changes_only_along_the_state_machine(secured_clinic, assignment, refusal):
    with secured_clinic.connect("finance") as conn, conn.transaction(force_rollback=True):
        refund_id = _insert(conn, "sec-update")[0]
        with pytest.raises(refusal):
            conn.execute(f"UPDATE backoffice.refunds SET {assignment} WHERE id = %s", (refund_id,))


def test_a_refund_never_takes_more_than_the_payment_left(secured_clinic):
    with secured_clinic.connect("finance") as conn, conn.transaction(force_rollback=True):
        conn.execute(
            "INSERT INTO backoffice.refunds (payment_id, amount, reason_code, idempotency_key) "
            "SELECT payment_id, 1500, 'goodwill', 'sec-all' FROM payments WHERE booking_id = %s",
            (BOOKING_OF_A,),
        )
        with pytest.raises(errors.CheckViolation, match="ck_refund_balances_within_paid"):
            _insert(conn, "sec-one-more")


@pytest.mark.parametrize(
    ("who", "allowed"), [("admin", True), ("finance", True), ("therapist_a", False)]
)
def test_only_money_roles_may_look_up_whom_to_notify(secured_clinic, who, allowed):
    with secured_clinic.connect(who) as conn, conn.transaction(force_rollback=True):
        if allowed:
            login = secured_clinic.logins["finance"]
            row = conn.execute(
                "SELECT role FROM backoffice.staff_recipient(%s)", (login,)
            ).fetchone()
            assert row == ("finance",)
        else:
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute("SELECT * FROM backoffice.staff_recipient('x')")
