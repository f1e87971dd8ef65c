"""`backoffice report`: the login in the URL decides, bad input is one sentence, files are whole."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from backoffice.cli import main
from backoffice.services.reports import REPORTS
from tests.conftest import DEMO_PASSWORDS
from tests.pg import libpq_conninfo


def _url(database, login: str, *, password: bool = True) -> str:
    url = database.login_url(login, DEMO_PASSWORDS[login] if password else None)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _one_sentence(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


def test_list_shows_every_report_on_one_line(capsys):
    assert main(["report", "--list"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines] == [info.name for info in REPORTS]
    assert lines[0].split()[1:3] == ["admin,", "finance"]


def test_a_finance_login_cannot_produce_a_clinical_report(demo_database, tmp_path, capsys):
    target = tmp_path / "risk.pdf"
    code = main(
        [
            "report",
            "risk-review",
            "--url",
            _url(demo_database, "demo_finance"),
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
            "-o",
            str(target),
        ]
    )

    assert code == 1
    assert _one_sentence(capsys.readouterr().err) == (
        "backoffice: Your role (finance) does not allow you to run clinical reports."
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("arguments", "sentence"),
    [
        (["nope"], "There is no report called 'nope'; "),
        (
            ["revenue", "--from", "2026-13-01", "--to", "2026-12-31", "-o", "r.pdf"],
            "The period's first day must be a date written YYYY-MM-DD; '2026-13-01' is not a date.",
        ),
        (
            ["revenue", "--from", "2026-02-01", "--to", "2026-01-01", "-o", "r.pdf"],
            "The period ends on 1 Jan 2026, before it starts on 1 Feb 2026.",
        ),
        (
            ["revenue", "--from", "2026-01-01", "--to", "2026-01-31", "-o", "no/such/folder/r.pdf"],
            "The folder no/such/folder does not exist.",
        ),
        (["revenue", "--from", "2026-01-01", "-o", "r.pdf"], "Give --to: a report needs a period "),
    ],
)
def test_bad_input_is_one_sentence_before_any_password_is_asked(
    demo_database, tmp_path, monkeypatch, capsys, arguments, sentence
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    url = _url(demo_database, "demo_finance", password=False)

    code = main(["report", *arguments, "--url", url])

    assert code == 1
    assert _one_sentence(capsys.readouterr().err).startswith(f"backoffice: {sentence}")
    assert list(tmp_path.iterdir()) == []


def test_a_report_is_written_with_the_password_from_pgpassword_and_audited(
    demo_clone, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("PGPASSWORD", DEMO_PASSWORDS["demo_finance"])
    target = tmp_path / "revenue.xlsx"
    today = dt.date.today()

    code = main(
        [
            "report",
            "revenue",
            "--url",
            _url(demo_clone, "demo_finance", password=False),
            "--from",
            f"{today.replace(day=1) - dt.timedelta(days=90)}",
            "--to",
            f"{today}",
            "-o",
            str(target),
        ]
    )

    assert code == 0, capsys.readouterr().err
    assert capsys.readouterr().out.strip() == f"Saved the revenue report to {target}."
    assert target.stat().st_size > 0
    with psycopg.connect(libpq_conninfo(demo_clone.owner_url)) as conn:
        events = conn.execute("""SELECT actor, details->>'format' FROM backoffice.audit_events
                                 WHERE action = 'report.exported'""").fetchall()
    assert events == [("demo_finance", "xlsx")]


def test_an_empty_period_writes_the_headings_and_exits_3(demo_clone, tmp_path, capsys):
    target = tmp_path / "ledger.csv"
    code = main(
        [
            "report",
            "ledger",
            "--url",
            _url(demo_clone, "demo_finance"),
            "--from",
            "2031-01-01",
            "--to",
            "2031-01-31",
            "-o",
            str(target),
        ]
    )

    assert code == 3
    assert _one_sentence(capsys.readouterr().err) == (
        "backoffice: No payments or refunds in this period: ledger.csv holds no rows."
    )
    assert target.exists()


def test_a_wrong_password_is_one_sentence(demo_database, tmp_path, capsys):
    url = demo_database.login_url("demo_finance", "wrong").set(drivername="postgresql")
    code = main(
        [
            "report",
            "revenue",
            "--url",
            url.render_as_string(hide_password=False),
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
            "-o",
            str(tmp_path / "r.pdf"),
        ]
    )

    assert code == 1
    assert "not accepted" in _one_sentence(capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []
