"""Twenty people refunding one payment at the same moment never refund more than was paid.

Each thread has its own connection; a barrier releases them together. The service serialises them
on the payment row (`SELECT ... FOR UPDATE`); the raw-SQL race skips the service altogether and
meets the database's own last line (the balance row and its CHECK), under both isolation levels.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import psycopg
import pytest
from psycopg import errors

from backoffice.errors import ConflictError, ValidationError
from backoffice.services.refunds import request_refund
from tests.conftest import DEMO_PASSWORDS
from tests.integration.refund_fixtures import clinic_fixture, unrefunded_payment  # noqa: F401
from tests.pg import libpq_conninfo

THREADS = 20
ROUNDS = 5


def race(count: int, work) -> list[object]:
    """Run `work(i)` in `count` threads released at once; each result or exception, in order."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as error:
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def reserved(clinic, payment_id: int) -> Decimal:
    return clinic.value(
        "SELECT coalesce(sum(amount), 0) FROM backoffice.refunds "
        "WHERE payment_id = %s AND state <> 'rejected'",
        payment_id,
    )


@pytest.mark.slow
def test_twenty_simultaneous_requests_never_refund_more_than_was_paid(clinic):
    payments = [
        int(row[0])
        for row in clinic.sql(
            "SELECT p.payment_id FROM payments p JOIN bookings b USING (booking_id) "
            "WHERE p.refund_amount IS NULL AND b.refund_status IS NULL AND p.currency = 'INR' "
            "AND p.amount > 2000 ORDER BY p.payment_id LIMIT %s",
            ROUNDS,
        )
    ]
    clinic.login("demo_finance")  # the engine and its pool exist before the race starts
    for round_number, payment in enumerate(payments, 1):
        paid = clinic.value("SELECT amount FROM payments WHERE payment_id = %s", payment)
        # Uneven shares: 7%, 8%, ... of the payment, so that the last one that fits is partial.
        amounts = [(paid * (7 + i % 5) / 100).quantize(Decimal("0.01")) for i in range(THREADS)]

        def work(i: int, payment=payment, amounts=amounts, round_number=round_number):
            return clinic.run(
                "demo_finance",
                request_refund,
                payment_id=payment,
                amount=amounts[i],
                reason_code="goodwill",
                idempotency_key=f"race-{round_number}-{i}",
            )

        results = race(THREADS, work)
        won = [r for r in results if not isinstance(r, Exception)]
        refused = [r for r in results if isinstance(r, Exception)]
        total = reserved(clinic, payment)
        print(
            f"round {round_number}: payment {payment}: {len(won)} of {THREADS} requests "
            f"succeeded, {len(refused)} refused; refunds total {total} of {paid} paid"
        )
        assert all(isinstance(e, ValidationError | ConflictError) for e in refused), refused
        # Each was refused by the service, which saw the winners' refunds under the payment's
        # lock, not by the database's last line (that would say "meanwhile").
        assert not [e for e in refused if "meanwhile" in str(e)], refused
        assert total <= paid
        assert total == sum(r.amount for r in won)  # type: ignore[attr-defined]
        assert len(won) >= 1 and len(refused) >= 1
        # The refusals are real: none of them would still have fitted after the winners.
        assert all(
            amounts[i] > paid - total for i, r in enumerate(results) if isinstance(r, Exception)
        )


@pytest.mark.parametrize("isolation", ["READ COMMITTED", "REPEATABLE READ"])
def test_raw_sql_inserts_racing_without_the_service_lock_still_stop_at_the_amount_paid(
    clinic, isolation
):
    payment = unrefunded_payment(clinic, above="2000")
    paid = clinic.value("SELECT amount FROM payments WHERE payment_id = %s", payment)
    share = (paid / 4).quantize(Decimal("0.01"))
    conninfo = libpq_conninfo(
        clinic.database.login_url("demo_finance", DEMO_PASSWORDS["demo_finance"])
    )
    connections = [psycopg.connect(conninfo) for _ in range(THREADS)]

    def work(i: int) -> int:
        conn = connections[i]
        conn.execute(f"SET TRANSACTION ISOLATION LEVEL {isolation}")
        conn.execute(
            "INSERT INTO backoffice.refunds (payment_id, amount, reason_code, idempotency_key) "
            "VALUES (%s, %s, 'goodwill', %s)",
            (payment, share, f"raw-{i}"),
        )
        conn.commit()
        return i

    try:
        results = race(THREADS, work)
    finally:
        for conn in connections:
            conn.close()
    won = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    total = reserved(clinic, payment)
    print(
        f"raw SQL, {isolation}: {len(won)} of {THREADS} inserts committed; "
        f"refunds total {total} of {paid} paid"
    )
    assert all(
        isinstance(e, errors.CheckViolation | errors.SerializationFailure) for e in refused
    ), refused
    assert total <= paid
    assert len(won) <= 4


def test_the_same_request_sent_twenty_times_at_once_creates_one_refund(clinic):
    payment = unrefunded_payment(clinic, above="2000")
    clinic.login("demo_finance")

    def work(i: int):
        return clinic.run(
            "demo_finance",
            request_refund,
            payment_id=payment,
            amount="250.00",
            reason_code="goodwill",
            idempotency_key="double-click",
        )

    results = race(THREADS, work)
    assert not [r for r in results if isinstance(r, Exception)]
    assert len({r.id for r in results}) == 1  # type: ignore[attr-defined]
    assert sum(not r.replayed for r in results) == 1  # type: ignore[attr-defined]
    assert (
        clinic.value("SELECT count(*) FROM backoffice.refunds WHERE payment_id = %s", payment) == 1
    )
