"""Finance reports on the demo clinic: the numbers in the files equal the test's own SQL."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from backoffice.services.refunds import (
    approve_refund,
    complete_refund,
    fail_refund,
    request_refund,
)
from tests.integration.report_fixtures import (
    amounts,
    csv_tables,
    exact,
    first_int,
    pdf_lines,
    pdf_pages,
    quarter_before,
    run,
    sql,
    total_line,
    xlsx_tables,
)

PAYMENTS_BY_CURRENCY = """
SELECT coalesce(currency, 'XXX') AS currency, count(*) AS n, sum(amount) AS gross,
       coalesce(sum(refund_amount) FILTER (WHERE refund_status = 'processed'), 0) AS refunded
FROM public.payments WHERE payment_date >= :start AND payment_date < :end
GROUP BY 1
"""
ALL_TIME = (dt.date(2020, 1, 1), dt.date(2030, 12, 31))
LEDGER_LINE = re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} (Payment|Refund) ")


def _expected(finance, period) -> dict[str, tuple[int, Decimal, Decimal, Decimal]]:
    start, end = period[0], period[1] + dt.timedelta(days=1)
    rows = sql(finance, PAYMENTS_BY_CURRENCY, start=start, end=end)
    return {r.currency: (r.n, r.gross, r.refunded, r.gross - r.refunded) for r in rows}


@pytest.fixture
def finance(staff):
    return staff("demo_finance")


def test_revenue_pdf_totals_equal_the_payments_for_every_breakdown(finance, tmp_path):
    period = ALL_TIME
    expected = _expected(finance, period)
    assert len(expected) > 1  # several currencies: none may be added to another
    statuses = {r.s for r in sql(finance, "SELECT DISTINCT refund_status AS s FROM payments")}
    assert {"initiated", "failed", "processed"} <= statuses  # only processed ones count

    result = run(finance, "revenue", tmp_path / "revenue.pdf", period)

    lines = pdf_lines(result.path)
    assert not result.empty
    every = sum(count for count, *_ in expected.values())
    detailed = {c for c, (count, *_) in expected.items() if count / every >= 0.05}
    assert detailed and detailed != set(expected)  # the demo has main and minor currencies
    for currency, (count, gross, refunded, net) in expected.items():
        if currency not in detailed:  # its totals are in "By currency", its tables in the CSV
            assert any(line.startswith(f"{currency} {count:,} ") for line in lines), currency
            continue
        for breakdown in ("by month", "by therapist", "by session mode", "by gateway"):
            line = total_line(lines, f"{currency} {breakdown}")
            assert first_int(line) == count, line
            assert amounts(line) == [gross, refunded, net], line


def test_revenue_csv_and_xlsx_hold_the_same_exact_decimals(finance, tmp_path):
    period = ALL_TIME
    expected = _expected(finance, period)

    run(finance, "revenue", tmp_path / "revenue.csv", period)
    run(finance, "revenue", tmp_path / "revenue.xlsx", period)

    from_csv = csv_tables(tmp_path / "revenue.csv")
    from_xlsx = xlsx_tables(tmp_path / "revenue.xlsx")
    for title in (
        "Revenue by period",
        "Revenue by therapist",
        "Revenue by session mode",
        "Revenue by gateway",
    ):
        for rows, number in ((from_csv[title], Decimal), (from_xlsx[title], exact)):
            sums: dict[str, list] = {}
            for row in rows:
                total = sums.setdefault(row["Currency"], [0, Decimal(0), Decimal(0), Decimal(0)])
                total[0] += int(row["Payments"])
                for i, key in enumerate(("Gross", "Refunded", "Net"), start=1):
                    total[i] += number(row[key])
            assert {c: tuple(v) for c, v in sums.items()} == expected, title


def test_a_report_narrowed_to_one_therapist_counts_only_their_payments(finance, tmp_path):
    therapist = sql(
        finance,
        """SELECT t.therapist_id, t.name FROM public.therapists t
        ORDER BY t.therapist_id LIMIT 1""",
    )[0]
    expected = {
        r.currency: (r.n, r.gross)
        for r in sql(
            finance,
            """
        SELECT p.currency, count(*) AS n, sum(p.amount) AS gross FROM public.payments p
        JOIN public.bookings b USING (booking_id) WHERE b.therapist_id = :t GROUP BY 1""",
            t=therapist.therapist_id,
        )
    }

    revenue = run(
        finance, "revenue", tmp_path / "r.csv", ALL_TIME, therapist_id=therapist.therapist_id
    )
    ledger = run(
        finance, "ledger", tmp_path / "l.pdf", ALL_TIME, therapist_id=therapist.therapist_id
    )

    rows = csv_tables(revenue.path)["By currency"]
    assert {r["Currency"]: (int(r["Payments"]), Decimal(r["Gross"])) for r in rows} == expected
    assert f"Filters: Therapist: {therapist.name} ({therapist.therapist_id})" in pdf_lines(
        ledger.path
    )
    assert ledger.rows >= sum(n for n, _ in expected.values())


def test_ledger_has_one_line_per_payment_and_refund_and_totals_per_currency(finance, tmp_path):
    period = quarter_before(finance.connection)
    start, end = period[0], period[1] + dt.timedelta(days=1)
    payments = {
        r.currency: (r.n, r.total)
        for r in sql(
            finance,
            """
        SELECT currency, count(*) AS n, sum(amount) AS total FROM public.payments
        WHERE payment_date >= :start AND payment_date < :end GROUP BY 1""",
            start=start,
            end=end,
        )
    }
    refunds = {
        r.currency: (r.n, r.total)
        for r in sql(
            finance,
            """
        SELECT currency, count(*) AS n, sum(refund_amount) AS total FROM public.payments
        WHERE refund_initiation_date >= :start AND refund_initiation_date < :end
          AND refund_status = 'processed' GROUP BY 1""",
            start=start,
            end=end,
        )
    }

    result = run(finance, "ledger", tmp_path / "ledger.pdf", period)

    lines = pdf_lines(result.path)
    for currency, (_count, total) in payments.items():
        _refunds, refunded = refunds.get(currency, (0, Decimal(0)))
        line = total_line(lines, f"Ledger in {currency}")
        assert amounts(line) == [total - refunded], line
    kinds = [match.group(1) for line in lines if (match := LEDGER_LINE.match(line))]
    assert kinds.count("Payment") == sum(n for n, _ in payments.values())
    assert kinds.count("Refund") == sum(n for n, _ in refunds.values())


def test_ledger_csv_has_a_refund_line_for_a_refund_completed_in_the_back_office(finance, tmp_path):
    today = sql(finance, "SELECT CAST(now() AT TIME ZONE 'Asia/Kolkata' AS date) AS d")[0].d
    payment = sql(
        finance,
        """SELECT p.payment_id FROM public.payments p
        JOIN public.bookings b USING (booking_id) WHERE p.refund_status IS NULL
        AND b.refund_status IS NULL AND p.currency = 'INR' ORDER BY p.payment_id LIMIT 1""",
    )[0]
    with finance.uow() as uow:
        refund = request_refund(
            uow,
            finance.actor,
            payment_id=payment.payment_id,
            amount="100",
            reason_code="goodwill",
            idempotency_key="report-ledger-1",
        )
    with finance.uow() as uow:
        approve_refund(uow, finance.actor, refund_id=refund.id)
    with finance.uow() as uow:
        complete_refund(uow, finance.actor, refund_id=refund.id, gateway_reference="rfnd_REPORT1")

    run(finance, "ledger", tmp_path / "ledger.csv", (today, today))

    lines = csv_tables(tmp_path / "ledger.csv")["Ledger"]
    mine = [row for row in lines if row["Reference"] == "rfnd_REPORT1"]
    assert len(mine) == 1
    assert mine[0]["Type"] == "Refund" and mine[0]["Payment"] == str(payment.payment_id)
    assert Decimal(mine[0]["Amount"]) == Decimal("-100.00")


def test_refunds_report_puts_failed_and_waiting_first_with_totals_by_state(finance, tmp_path):
    today = sql(finance, "SELECT CAST(now() AT TIME ZONE 'Asia/Kolkata' AS date) AS d")[0].d
    payments = [
        r.payment_id
        for r in sql(
            finance,
            """SELECT p.payment_id FROM public.payments p
        JOIN public.bookings b USING (booking_id) WHERE p.refund_status IS NULL
        AND b.refund_status IS NULL AND p.currency = 'INR' ORDER BY p.payment_id LIMIT 4""",
        )
    ]
    ids = []
    for n, payment_id in enumerate(payments):
        with finance.uow() as uow:
            ids.append(
                request_refund(
                    uow,
                    finance.actor,
                    payment_id=payment_id,
                    amount="50",
                    reason_code="client_cancelled",
                    idempotency_key=f"report-refunds-{n}",
                ).id
            )
    for refund_id in ids[:3]:
        with finance.uow() as uow:
            approve_refund(uow, finance.actor, refund_id=refund_id)
    with finance.uow() as uow:
        complete_refund(uow, finance.actor, refund_id=ids[0], gateway_reference="rfnd_RPT_A")
    with finance.uow() as uow:
        fail_refund(uow, finance.actor, refund_id=ids[1], message="Card expired")

    run(finance, "refunds", tmp_path / "refunds.csv", (today, today))

    tables = csv_tables(tmp_path / "refunds.csv")
    states = [row["State"] for row in tables["Refunds"]]
    assert states == ["failed", "requested", "approved", "completed"]
    by_state = {
        row["State"]: (int(row["Refunds"]), Decimal(row["Amount (INR)"]))
        for row in tables["Totals by state"]
    }
    expected = {
        r.state: (r.n, r.total)
        for r in sql(
            finance,
            """SELECT state, count(*) AS n,
        sum(amount) AS total FROM backoffice.refunds GROUP BY state""",
        )
    }
    assert by_state == expected


def test_a_months_revenue_names_the_clinic_and_its_author_charts_each_day_and_stays_short(
    finance, tmp_path
):
    """Issue 15, item 9: the clinic's name and the person, not "The clinic" and a login twice; a
    chart of the month's days, not one bar; no page of stray rows."""
    today = sql(finance, "SELECT CAST(now() AT TIME ZONE 'Asia/Kolkata' AS date) AS d")[0].d
    last = today.replace(day=1) - dt.timedelta(days=1)
    first = last.replace(day=1)

    result = run(finance, "revenue", tmp_path / "month.pdf", (first, last))

    pages = pdf_pages(result.path)
    text = "\n".join(pages)
    assert "Sukoon Therapy Clinic (demo)" in pages[0] and "The clinic" not in text
    assert "Generated by Arjun Iyer (demo_finance) on " in pages[0]
    assert "Net revenue by day (INR)" in text
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    assert all(f"{day.day} {day:%b}" in text for day in days)  # one bar a day, each labelled
    assert "INR by week" in text and "week of " in text
    assert len(pages) <= 3, [len(p) for p in pages]
