"""Benchmark: the finance dashboard on a big clinic, against the queries it used before (0003).

It logs in as demo_finance, makes sure the indexes `db check` proposes for the dashboard exist
(the payments date range, and the partial indexes of the failed and mismatch tiles), and times in
one run, warm, the whole dashboard (`get_dashboard`) and each of its queries beside the old ones:
revenue from the payments' own columns, and the failed and mismatch tiles joining every payment
to every booking.

    backoffice demo --size large --no-gui            # with its 50,000 back-office refunds
    uv run python bench/finance_dashboard.py --url 'postgresql://postgres@/clinic?host=...'

The URL is the demo's owner (as `backoffice demo --no-gui` prints it); the dashboard itself runs as
the demo_finance login on the same server.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backoffice.db import UnitOfWork, create_engine, parse_url
from backoffice.owner.indexes import RECOMMENDED_INDEXES, create_indexes, missing_indexes
from backoffice.services.dashboard import get_dashboard
from backoffice.services.login import identify

REPEAT = 7
DASHBOARD_INDEXES = {
    "bo_payments_month",
    "bo_payments_date_id",
    "bo_payments_booking",
    "bo_payments_refund_fields",
    "bo_bookings_refund_fields",
    "bo_payments_refund_failed",
}
# The clinic's current month, as the dashboard bounds it (timestamps, so that the index serves).
MONTH = (
    "p.payment_date >= CAST(date_trunc('month', now() AT TIME ZONE 'Asia/Kolkata') AS timestamp) "
    "AND p.payment_date < CAST(date_trunc('month', now() AT TIME ZONE 'Asia/Kolkata') "
    "+ interval '1 month' AS timestamp)"
)

# The finance dashboard's queries of revision 0003, for comparison.
OLD = {
    "revenue": f"""
SELECT coalesce(p.currency, 'XXX'), count(*), coalesce(sum(p.amount), 0),
       coalesce(sum(p.refund_amount) FILTER (WHERE lower(trim(p.refund_status)) = 'processed'), 0)
FROM public.payments p WHERE {MONTH} GROUP BY 1""",
    "failed and mismatched": """
WITH mismatched AS (
    SELECT count(*) AS n FROM public.payments p
    LEFT JOIN public.bookings b ON b.booking_id = p.booking_id
    LEFT JOIN backoffice.refund_balances rb ON rb.payment_id = p.payment_id
    WHERE (b.booking_id IS NOT NULL
           AND (p.refund_amount, p.refund_status, p.refund_id, p.refund_failed_date)
               IS DISTINCT FROM (b.refund_amount, b.refund_status, b.refund_id, b.refund_failed_time))
       OR (rb.payment_id IS NOT NULL
           AND coalesce(p.refund_amount, 0) <> rb.refunded_before + rb.completed)
), failed AS (
    SELECT coalesce(currency, 'XXX') AS currency, count(*) AS n,
           coalesce(sum(coalesce(refund_amount, amount)), 0) AS total
    FROM public.payments WHERE lower(trim(refund_status)) = 'failed' GROUP BY 1
)
SELECT m.n, f.currency, f.total FROM mismatched m LEFT JOIN failed f ON true""",
}
NEW = {
    "revenue": f"""
SELECT coalesce(p.currency, 'XXX'), count(*), coalesce(sum(p.paid), 0), coalesce(sum(p.refunded), 0)
FROM backoffice.payment_refunds p WHERE {MONTH} GROUP BY 1""",
    "failed and mismatched": """
SELECT (SELECT count(*) FROM backoffice.refund_mismatches),
       (SELECT count(*) FROM backoffice.failed_refunds)""",
}


def timed(work: Callable[[], object], repeat: int = REPEAT) -> float:
    work()  # warm the cache and the plans
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def ensure_indexes(owner_url) -> None:
    engine = sa.create_engine(
        owner_url, poolclass=sa.NullPool, isolation_level="AUTOCOMMIT", hide_parameters=True
    )
    with engine.connect() as conn:
        missing = [i for i in missing_indexes(conn) if i.name in DASHBOARD_INDEXES]
        if missing:
            print(f"Creating {', '.join(i.name for i in missing)} (CONCURRENTLY)...")
            create_indexes(conn, missing)
            conn.execute(sa.text("ANALYZE public.payments, public.bookings"))
        present = DASHBOARD_INDEXES - {i.name for i in missing_indexes(conn)}
        assert present == DASHBOARD_INDEXES, present
        counts = conn.execute(
            sa.text(
                "SELECT (SELECT count(*) FROM public.payments), "
                "(SELECT count(*) FROM backoffice.refunds)"
            )
        ).one()
    engine.dispose()
    print(f"{counts[0]:,} payments, {counts[1]:,} back-office refunds.")
    assert {i.name for i in RECOMMENDED_INDEXES} >= DASHBOARD_INDEXES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the demo clinic's owner URL")
    parser.add_argument("--password", default="demo-finance-pass")
    args = parser.parse_args()
    owner = parse_url(args.url)
    ensure_indexes(owner)
    finance = owner.set(username="demo_finance", password=args.password)
    engine = create_engine(finance)  # pooled: a dashboard refresh reuses its connection
    actor = identify(engine, finance)

    def dashboard() -> object:
        with UnitOfWork(engine) as uow:
            return get_dashboard(uow, actor)

    whole = timed(dashboard)
    print(f"\nThe finance dashboard (get_dashboard, median of {REPEAT}): {whole * 1000:,.1f} ms")
    with engine.connect() as conn:
        print(f"\n  {'query':<24}{'now':>10}{'before (0003)':>16}{'before/now':>12}")
        for name in OLD:
            new = timed(lambda n=name: conn.execute(sa.text(NEW[n])).all())
            old = timed(lambda n=name: conn.execute(sa.text(OLD[n])).all(), repeat=3)
            print(f"  {name:<24}{new * 1000:>8,.1f} ms{old * 1000:>13,.1f} ms{old / new:>11,.1f}×")
    engine.dispose()


if __name__ == "__main__":
    main()
