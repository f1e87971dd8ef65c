"""Issue #11, money: what a finance or admin login tried with `psql` on the demo clinic, each attack
as its own test with raw psycopg, and twenty connections splitting refunds at once.

Every attack is run to its end (each step in its own transaction, as a person at `psql` would),
and the test asserts what must hold whatever was refused on the way: no money refunded twice, no
refund above the approval threshold approved by its requester alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import psycopg
import pytest
from psycopg import errors

from tests.conftest import DEMO_PASSWORDS, DemoDatabase
from tests.pg import libpq_conninfo

FIN, ADMIN = "demo_finance", "demo_admin"
THRESHOLD = Decimal("2000.00")  # the demo clinic's INR threshold (migration 0003)

REFUNDED_IN_FULL = """
SELECT p.payment_id, p.amount FROM payments p JOIN bookings b USING (booking_id)
WHERE lower(p.refund_status) = 'processed' AND p.refund_amount = p.amount AND p.currency = 'INR'
  AND (p.refund_amount, p.refund_status, p.refund_id, p.refund_failed_date)
      IS NOT DISTINCT FROM (b.refund_amount, b.refund_status, b.refund_id, b.refund_failed_time)
ORDER BY p.payment_id LIMIT 1
"""
UNREFUNDED = """
SELECT p.payment_id, p.amount FROM payments p JOIN bookings b USING (booking_id)
WHERE p.refund_amount IS NULL AND p.refund_status IS NULL AND b.refund_status IS NULL
  AND p.currency = 'INR' AND p.amount >= %s
ORDER BY p.payment_id LIMIT 1
"""
INSERT_REFUND = (
    "INSERT INTO backoffice.refunds (payment_id, amount, reason_code, idempotency_key) "
    "VALUES (%s, %s, 'goodwill', %s) RETURNING id"
)
SET_STATE = "UPDATE backoffice.refunds SET state = %s WHERE id = %s"


@dataclass
class Attacker:
    """The demo clinic as its logins reach it with `psql`: each step commits or is refused."""

    database: DemoDatabase
    refusals: list[str] = field(default_factory=list)

    def connect(self, login: str, **kwargs: object) -> psycopg.Connection:
        url = self.database.login_url(login, DEMO_PASSWORDS[login])
        return psycopg.connect(libpq_conninfo(url), **kwargs)  # type: ignore[arg-type]

    def step(self, login: str, query: str, *params: object) -> object:
        """Run one statement as `login` and commit; None (the refusal kept) if refused."""
        with self.connect(login) as conn:
            try:
                row = conn.execute(query, params or None).fetchone()
                conn.commit()
            except psycopg.Error as error:
                self.refusals.append(f"{type(error).__name__}: {error.diag.message_primary}")
                return None
        return row[0] if row else None

    def owner(self, query: str, *params: object) -> list[tuple]:
        with psycopg.connect(libpq_conninfo(self.database.owner_url), autocommit=True) as conn:
            cursor = conn.execute(query, params or None)
            return cursor.fetchall() if cursor.description else []

    def value(self, query: str, *params: object) -> object:
        return self.owner(query, *params)[0][0]

    def completed(self, payment_id: int) -> Decimal:
        return Decimal(
            self.value(
                "SELECT coalesce(sum(amount), 0) FROM backoffice.refunds "
                "WHERE payment_id = %s AND state = 'completed'",
                payment_id,
            )
        )

    def refund_completely(self, payment_id: int, amount: Decimal, reference: str) -> None:
        refund = self.step(FIN, INSERT_REFUND, payment_id, amount, f"attack-{reference}")
        if refund is not None:
            self.step(ADMIN, SET_STATE + " RETURNING id", "approved", refund)
            self.step(
                FIN,
                "UPDATE backoffice.refunds SET state = 'completed', gateway_reference = %s "
                "WHERE id = %s RETURNING id",
                reference,
                refund,
            )


@pytest.fixture
def attacker(demo_clone: DemoDatabase) -> Iterator[Attacker]:
    yield Attacker(demo_clone)


# --- 1. wiping a payment's refund fields, then refunding what was already refunded ---------------

WIPES = {
    "refund_amount_zeroed": [
        "UPDATE payments SET refund_amount = 0 WHERE payment_id = %s RETURNING 1",
        "UPDATE bookings SET refund_amount = 0 WHERE booking_id = "
        "(SELECT booking_id FROM payments WHERE payment_id = %s) RETURNING 1",
    ],
    "status_failed_then_back": [
        "UPDATE payments SET refund_status = 'failed' WHERE payment_id = %s RETURNING 1",
    ],
}
PUT_BACK = "UPDATE payments SET refund_status = 'processed' WHERE payment_id = %s RETURNING 1"


@pytest.mark.parametrize("wipe", sorted(WIPES))
def test_wiping_a_payments_refund_fields_does_not_make_refunded_money_refundable(attacker, wipe):
    payment_id, paid = attacker.owner(REFUNDED_IN_FULL)[0]
    for statement in WIPES[wipe]:
        attacker.step(FIN, statement, payment_id)
    refund = attacker.step(FIN, INSERT_REFUND, payment_id, paid, "attack-wiped")
    if wipe == "status_failed_then_back":
        attacker.step(FIN, PUT_BACK, payment_id)
    if refund is not None:
        attacker.step(ADMIN, SET_STATE + " RETURNING id", "approved", refund)
        attacker.step(
            FIN,
            "UPDATE backoffice.refunds SET state = 'completed', gateway_reference = 'rfnd_twice' "
            "WHERE id = %s RETURNING id",
            refund,
        )
    print(wipe, attacker.refusals)
    assert attacker.completed(payment_id) == 0, "money already refunded was refunded again"
    assert attacker.owner(
        "SELECT refund_amount, refund_status FROM payments WHERE payment_id = %s", payment_id
    ) == [(paid, "processed")], "the payment's refund fields were changed by hand"
    assert any("permission denied" in r for r in attacker.refusals)


# --- 2. four eyes by splitting --------------------------------------------------------------------


def test_splitting_a_refund_does_not_let_its_requester_approve_past_the_threshold(attacker):
    payment_id, _ = attacker.owner(UNREFUNDED, Decimal(3000))[0]
    for n in range(3):
        refund = attacker.step(FIN, INSERT_REFUND, payment_id, Decimal(1000), f"split-{n}")
        attacker.step(FIN, SET_STATE + " RETURNING id", "approved", refund)
    self_approved = attacker.value(
        "SELECT coalesce(sum(amount), 0) FROM backoffice.refunds WHERE payment_id = %s "
        "AND approved_by = requested_by",
        payment_id,
    )
    print(attacker.refusals)
    assert self_approved <= THRESHOLD
    assert any("approval threshold" in r for r in attacker.refusals)


def test_requesting_the_parts_first_counts_them_all_against_the_threshold(attacker):
    payment_id, _ = attacker.owner(UNREFUNDED, Decimal(3000))[0]
    refunds = [
        attacker.step(FIN, INSERT_REFUND, payment_id, Decimal(1000), f"parts-{n}") for n in range(3)
    ]
    for refund in refunds:
        attacker.step(FIN, SET_STATE + " RETURNING id", "approved", refund)
    assert (
        attacker.value(
            "SELECT count(*) FROM backoffice.refunds WHERE payment_id = %s AND state = 'approved'",
            payment_id,
        )
        == 0
    )


# --- 3. the threshold raised, used and put back in one transaction --------------------------------

RAISE_IN_SETTINGS = (
    "UPDATE backoffice.settings SET value = jsonb_set(value, '{INR}', to_jsonb(%s::text)) "
    "WHERE key = 'refunds.approval_threshold'"
)


def _raise_use_and_restore(conn: psycopg.Connection, payment_id: int, raise_: Callable) -> None:
    """In one transaction: raise the threshold, approve one's own refund, put it back."""
    raise_(conn, "1000000.00")
    refund = conn.execute(INSERT_REFUND, (payment_id, Decimal(3000), "own-threshold")).fetchone()
    assert refund is not None
    conn.execute(SET_STATE, ("approved", refund[0]))
    raise_(conn, "2000.00")


def _in_settings(conn: psycopg.Connection, value: str) -> None:
    conn.execute(RAISE_IN_SETTINGS, (value,))


def _through_the_function(conn: psycopg.Connection, value: str) -> None:
    conn.execute(
        "SELECT backoffice.set_refund_approval_threshold('INR', %s, 'attack')", (Decimal(value),)
    )


@pytest.mark.parametrize("how", [_in_settings, _through_the_function], ids=["settings", "function"])
def test_an_admin_cannot_raise_the_threshold_to_approve_their_own_refund(attacker, how):
    payment_id, _ = attacker.owner(UNREFUNDED, Decimal(3000))[0]
    with attacker.connect(ADMIN) as conn:
        try:
            _raise_use_and_restore(conn, payment_id, how)
            conn.commit()
        except psycopg.Error as error:
            attacker.refusals.append(f"{type(error).__name__}: {error.diag.message_primary}")
    print(attacker.refusals)
    assert (
        attacker.owner(
            "SELECT id FROM backoffice.refunds WHERE payment_id = %s AND approved_by = requested_by",
            payment_id,
        )
        == []
    )
    assert attacker.refusals


def test_a_threshold_change_is_audited_and_takes_effect_from_the_next_transaction(attacker):
    payment_id, _ = attacker.owner(UNREFUNDED, Decimal(3000))[0]
    with attacker.connect(ADMIN) as conn:
        _through_the_function(conn, "6000.00")
        refund = conn.execute(INSERT_REFUND, (payment_id, Decimal(3000), "after")).fetchone()
        conn.commit()
        assert refund is not None
        conn.execute(SET_STATE, ("approved", refund[0]))  # a later transaction: 6000 in force
        conn.commit()
    assert attacker.owner(
        "SELECT actor, details ->> 'currency', details ->> 'before', details ->> 'after', "
        "occurred_at IS NOT NULL FROM backoffice.audit_events "
        "WHERE action = 'refund.threshold_changed'"
    ) == [(ADMIN, "INR", "2000.00", "6000.00", True)]


def test_finance_may_not_change_the_threshold(attacker):
    attacker.step(FIN, "SELECT backoffice.set_refund_approval_threshold('INR', 9999, 'x')")
    attacker.step(FIN, RAISE_IN_SETTINGS + " RETURNING 1", "9999")
    assert attacker.refusals and all("permission denied" in r for r in attacker.refusals)


# --- 4. a failed refund sent back to approved by its requester alone -------------------------------


def test_a_failed_refund_above_the_threshold_is_not_retried_by_its_requester_alone(attacker):
    payment_id, _ = attacker.owner(UNREFUNDED, Decimal(2500))[0]
    refund = attacker.step(FIN, INSERT_REFUND, payment_id, Decimal(2500), "retry-alone")
    attacker.step(ADMIN, SET_STATE + " RETURNING id", "approved", refund)
    attacker.step(
        FIN,
        "UPDATE backoffice.refunds SET state = 'failed', failure_message = 'declined' "
        "WHERE id = %s RETURNING id",
        refund,
    )
    assert attacker.step(FIN, SET_STATE + " RETURNING id", "approved", refund) is None
    assert attacker.value("SELECT state FROM backoffice.refunds WHERE id = %s", refund) == "failed"
    assert attacker.step(ADMIN, SET_STATE + " RETURNING id", "approved", refund) == refund
    assert attacker.value("SELECT approved_by FROM backoffice.refunds WHERE id = %s", refund) == (
        ADMIN
    )


# --- twenty connections splitting refunds of one payment at once -----------------------------------

THREADS = 20
SHARE = Decimal(500)


def _split_at_once(attacker: Attacker, payment_id: int, isolation: str) -> list[object]:
    logins = [FIN if i % 2 == 0 else ADMIN for i in range(THREADS)]
    connections = [attacker.connect(login) for login in logins]
    barrier = threading.Barrier(THREADS)
    results: list[object] = [None] * THREADS

    def work(i: int) -> None:
        conn = connections[i]
        barrier.wait()
        try:
            conn.execute(f"SET TRANSACTION ISOLATION LEVEL {isolation}")
            row = conn.execute(INSERT_REFUND, (payment_id, SHARE, f"race-{i}")).fetchone()
            assert row is not None
            conn.execute(SET_STATE, ("approved", row[0]))
            conn.commit()
            results[i] = row[0]
        except psycopg.Error as error:
            conn.rollback()
            results[i] = error

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for conn in connections:
        conn.close()
    return results


@pytest.mark.slow
@pytest.mark.parametrize("isolation", ["READ COMMITTED", "REPEATABLE READ"])
def test_twenty_connections_splitting_refunds_stay_within_what_was_paid_and_four_eyes(
    attacker, isolation
):
    payment_id, paid = attacker.owner(UNREFUNDED, Decimal(3000))[0]
    results = _split_at_once(attacker, payment_id, isolation)
    refused = [r for r in results if isinstance(r, Exception)]
    totals = attacker.owner(
        "SELECT coalesce(sum(amount) FILTER (WHERE state <> 'rejected'), 0), "
        "coalesce(sum(amount) FILTER (WHERE approved_by = requested_by), 0), count(*) "
        "FROM backoffice.refunds WHERE payment_id = %s",
        payment_id,
    )[0]
    print(f"{isolation}: {totals}, refused: {sorted({type(e).__name__ for e in refused})}")
    reserved, self_approved, _count = totals
    assert reserved <= paid
    assert self_approved <= THRESHOLD
    assert all(
        isinstance(
            e, errors.CheckViolation | errors.SerializationFailure | errors.InsufficientPrivilege
        )
        for e in refused
    ), refused
