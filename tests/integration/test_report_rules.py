"""What every report run obeys: the role's permission first, bad input in one sentence and no file,
an empty period that says so, an audit event per export, cancel leaving nothing, formulas escaped,
and the big ledger read in chunks with its header repeated after a page break."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import psycopg
import pytest
import sqlalchemy as sa

from backoffice.db import UnitOfWork, create_engine
from backoffice.errors import NotFound, PermissionDenied, ValidationError
from backoffice.services.login import identify
from backoffice.services.reports import REPORTS, ReportCancelledError, list_reports, run_report
from backoffice.services.reports.builders import ledger as ledger_builder
from tests.conftest import DEMO_PASSWORDS
from tests.integration.report_fixtures import (
    csv_tables,
    pdf_lines,
    pdf_pages,
    quarter_before,
    run,
    sql,
    xlsx_tables,
)
from tests.pg import libpq_conninfo

FAR_FUTURE = (dt.date(2031, 1, 1), dt.date(2031, 1, 31))


@pytest.mark.parametrize("name", ["risk-review", "client-history"])
def test_a_finance_login_cannot_produce_a_clinical_report(staff, tmp_path, name):
    finance = staff("demo_finance")
    target = tmp_path / f"{name}.pdf"

    with pytest.raises(
        PermissionDenied,
        match=r"^Your role \(finance\) does not allow you to run "
        r"clinical reports\.$",
    ):
        run(finance, name, target, FAR_FUTURE, client_id="C100001" if "client" in name else None)
    assert list(tmp_path.iterdir()) == []


def test_finance_sees_the_finance_reports_and_admins_all(staff):
    finance, admin = staff("demo_finance").actor, staff("demo_admin").actor
    assert [i.name for i in list_reports(finance)] == [
        "revenue",
        "refunds",
        "reconciliation",
        "ledger",
    ]
    assert list_reports(admin) == REPORTS


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({"name": "profit"}, "There is no report called 'profit'; the reports are revenue, "),
        (
            {"period_from": "2026-02-30"},
            "The period's first day must be a date written YYYY-MM-DD; '2026-02-30' is not a date.",
        ),
        ({"period_to": "tomorrow"}, "The period's last day must be a date written YYYY-MM-DD; "),
        (
            {"period_from": "2026-03-01", "period_to": "2026-02-01"},
            "The period ends on 1 Feb 2026, before it starts on 1 Mar 2026.",
        ),
        ({"path": "missing/r.pdf"}, "The folder "),
        ({"path": "r.docx"}, "Save the report to a file ending in .pdf, .csv or .xlsx."),
        ({"page_size": "A3"}, "The page size is A4 or Letter, not 'A3'."),
        ({"client_id": "C100001"}, "The revenue report cannot be narrowed to one client."),
    ],
)
def test_bad_input_is_refused_in_one_sentence_and_writes_nothing(
    staff, tmp_path, monkeypatch, changes, sentence
):
    monkeypatch.chdir(tmp_path)
    finance = staff("demo_finance")
    arguments = {
        "name": "revenue",
        "period_from": "2026-01-01",
        "period_to": "2026-01-31",
        "path": "r.pdf",
    } | changes
    with pytest.raises(ValidationError) as refused:
        run_report(finance.uow, finance.actor, **arguments)
    message = str(refused.value)
    assert message.startswith(sentence) and message.count(". ") == 0 and "\n" not in message
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_therapist_or_client_is_not_found(staff, tmp_path):
    admin = staff("demo_admin")
    with pytest.raises(NotFound, match=r"^There is no therapist with the id 'T-0'\.$"):
        run(admin, "utilisation", tmp_path / "u.pdf", FAR_FUTURE, therapist_id="T-0")
    with pytest.raises(NotFound, match=r"^There is no client with the id 'C-0'\.$"):
        run(admin, "client-history", tmp_path / "c.pdf", FAR_FUTURE, client_id="C-0")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "login", "sentence"),
    [
        ("revenue", "demo_finance", "No payments were made in this period."),
        ("ledger", "demo_finance", "No payments or refunds in this period."),
        ("utilisation", "demo_admin", "No sessions were booked in this period."),
        (
            "risk-review",
            "demo_admin",
            "No high-risk notes were written for sessions in this period.",
        ),
    ],
)
def test_an_empty_period_still_gives_a_report_that_says_so(staff, tmp_path, name, login, sentence):
    result = run(staff(login), name, tmp_path / "r.pdf", FAR_FUTURE)

    assert result.empty
    assert result.message == f"{sentence[:-1]}: r.pdf says so."
    assert sentence in pdf_lines(result.path)


@pytest.mark.parametrize("kind", ["pdf", "csv", "xlsx"])
def test_every_export_writes_its_audit_event(staff, tmp_path, kind):
    admin = staff("demo_admin")
    period = quarter_before(admin.connection)

    run(admin, "transfers", tmp_path / f"t.{kind}", period)

    events = sql(
        admin,
        """SELECT actor, subject_id, details FROM backoffice.audit_events
                          WHERE action = 'report.exported' AND subject_id = 'transfers'""",
    )
    assert len(events) == 1
    actor, subject, details = events[0]
    assert (actor, subject) == ("demo_admin", "transfers")
    assert details["from"] == period[0].isoformat() and details["to"] == period[1].isoformat()
    assert details["format"] == kind and details["report"] == "transfers"


def test_a_cancelled_report_leaves_no_file_and_no_audit_event(staff, tmp_path):
    admin = staff("demo_admin")
    seen: list[int] = []

    with pytest.raises(
        ReportCancelledError, match=r"^The report was cancelled; no file was written\.$"
    ):
        run(
            admin,
            "ledger",
            tmp_path / "ledger.pdf",
            (dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
            progress=lambda done, _total: seen.append(done),
            cancelled=lambda: bool(seen),
        )

    assert seen and list(tmp_path.iterdir()) == []
    assert (
        sql(
            admin,
            "SELECT count(*) AS n FROM backoffice.audit_events "
            "WHERE action = 'report.exported' AND subject_id = 'ledger'",
        )[0].n
        == 0
    )


def test_the_ledger_streams_in_chunks_and_repeats_its_header_after_a_page_break(
    staff, tmp_path, monkeypatch
):
    finance = staff("demo_finance")
    period = quarter_before(finance.connection)
    start, end = period[0], period[1] + dt.timedelta(days=1)
    lines = sql(
        finance,
        """SELECT
        (SELECT count(*) FROM public.payments WHERE payment_date >= :start AND payment_date < :end)
      + (SELECT count(*) FROM public.payments WHERE refund_status = 'processed'
         AND refund_initiation_date >= :start AND refund_initiation_date < :end) AS n""",
        start=start,
        end=end,
    )[0].n
    chunks: list[int] = []
    streamed = ledger_builder.stream_frames

    def spy(*args, **kwargs):
        for chunk in streamed(*args, **kwargs, chunk_rows=100):
            chunks.append(len(chunk))
            yield chunk

    monkeypatch.setattr(ledger_builder, "stream_frames", spy)
    result = run(finance, "ledger", tmp_path / "ledger.pdf", period)

    assert sum(chunks) == lines and max(chunks) == 100  # never more than a chunk at a time
    second = pdf_pages(result.path)[1]
    assert "Ledger in INR (continued)" in second
    assert "Date/time Type Payment Reference Client Therapist Gateway Amount (INR)" in second


@pytest.fixture
def planted(demo_clone):
    """A private clinic with a payment whose client name is a spreadsheet formula."""
    owner = libpq_conninfo(demo_clone.owner_url)
    with psycopg.connect(owner, autocommit=True) as conn:
        payment_id, paid_on = conn.execute("""SELECT payment_id, payment_date FROM payments
            ORDER BY payment_date DESC LIMIT 1 OFFSET 40""").fetchone()
        conn.execute(
            "UPDATE payments SET invitee_name = %s WHERE payment_id = %s",
            ('=HYPERLINK("http://evil.example","Zoë")', payment_id),
        )
    url = demo_clone.login_url("demo_finance", DEMO_PASSWORDS["demo_finance"])
    engine = create_engine(url, poolclass=sa.NullPool)
    yield engine, identify(engine, url), paid_on.date(), payment_id
    engine.dispose()


def test_a_client_name_that_is_a_formula_is_escaped_in_csv_and_xlsx(planted, tmp_path):
    engine, actor, day, payment_id = planted
    for kind in ("csv", "xlsx"):
        run_report(
            lambda: UnitOfWork(engine),
            actor,
            name="ledger",
            period_from=day,
            period_to=day,
            path=tmp_path / f"ledger.{kind}",
        )

    lines = csv_tables(tmp_path / "ledger.csv")["Ledger"]
    sheet = xlsx_tables(tmp_path / "ledger.xlsx")["Ledger"]
    for rows in (lines, sheet):
        mine = next(r for r in rows if str(r["Payment"]) == str(payment_id))
        assert mine["Client"] == '\'=HYPERLINK("http://evil.example","Zoë")'
        assert Decimal(str(mine["Amount"])) > 0
