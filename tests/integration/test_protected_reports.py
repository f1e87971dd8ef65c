"""Clinical reports saved with a password from the command line: `--password-file` or `--protect`
(a prompt, twice), never an argument; the export's audit event says whether the file is protected.
"""

from __future__ import annotations

import getpass
import io

import psycopg
import pytest
from pypdf import PdfReader

from backoffice.cli import main
from tests.conftest import DEMO_PASSWORDS
from tests.pg import libpq_conninfo

PASSWORD = "handover-2026"


def _command(database, target, *more: str) -> list[str]:
    url = database.login_url("demo_admin", DEMO_PASSWORDS["demo_admin"])
    url_text = url.set(drivername="postgresql").render_as_string(hide_password=False)
    period = ["--from", "2020-01-01", "--to", "2030-12-31"]
    return ["report", "risk-review", "--url", url_text, *period, "-o", str(target), *more]


def _exports(clinic) -> list[tuple[str, str]]:
    with psycopg.connect(libpq_conninfo(clinic.owner_url)) as conn:
        return conn.execute(
            "SELECT details->>'file', details->>'protected' FROM backoffice.audit_events "
            "WHERE action = 'report.exported' ORDER BY chain_seq"
        ).fetchall()


def _opens_only_with_the_password(path) -> None:
    reader = PdfReader(path)
    assert reader.is_encrypted and not reader.decrypt("not-the-password")
    reader = PdfReader(path)
    assert reader.decrypt(PASSWORD)
    assert "High-risk note review" in reader.pages[0].extract_text()


def test_a_password_file_protects_the_pdf_and_the_audit_event_says_so(demo_clone, tmp_path, capsys):
    secret = tmp_path / "password.txt"
    secret.write_text(f"{PASSWORD}\n", encoding="utf-8")
    protected, plain = tmp_path / "risk.pdf", tmp_path / "risk-plain.pdf"

    assert main(_command(demo_clone, protected, "--password-file", str(secret))) == 0
    assert main(_command(demo_clone, plain)) == 0

    said = capsys.readouterr().out.splitlines()
    assert said[0] == (
        f"Saved the high-risk note review report to {protected} (protected with its password)."
    )
    assert said[1] == f"Saved the high-risk note review report to {plain}."
    _opens_only_with_the_password(protected)
    assert not PdfReader(plain).is_encrypted
    assert _exports(demo_clone) == [("risk.pdf", "yes"), ("risk-plain.pdf", "no")]


def test_protect_asks_twice_on_the_terminal(demo_clone, tmp_path, monkeypatch, capsys):
    asked: list[str] = []

    def typed(prompt: str) -> str:
        asked.append(prompt)
        return PASSWORD

    monkeypatch.setattr(getpass, "getpass", typed)
    monkeypatch.setattr("sys.stdin", _Terminal())
    target = tmp_path / "risk.pdf"

    assert main(_command(demo_clone, target, "--protect")) == 0, capsys.readouterr().err
    assert asked == [
        "Password to open the PDF with (it is not stored anywhere): ",
        "The same password again: ",
    ]
    _opens_only_with_the_password(target)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("more", "file_text", "sentence"),
    [
        (["--protect"], None, "No terminal to ask for the PDF's password: give --password-file"),
        (["--password-file", "{dir}/none.txt"], None, "The password file {dir}/none.txt cannot "),
        (
            ["--password-file", "{dir}/p.txt"],
            "short\n",
            "The report's password must have at least 8",
        ),
        (["--password-file", "{dir}/p.txt", "-o", "{dir}/r.csv"], PASSWORD, "Only a PDF can be "),
        (["--password", PASSWORD], None, "A password is never given as an argument, where "),
    ],
)
def test_bad_protection_is_one_sentence_and_no_file(
    demo_database, tmp_path, monkeypatch, capsys, more, file_text, sentence
):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal
    if file_text is not None:
        (tmp_path / "p.txt").write_text(file_text, encoding="utf-8")
    arguments = [part.format(dir=tmp_path) for part in more]
    code = main(_command(demo_database, tmp_path / "r.pdf", *arguments))
    assert code == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"backoffice: {sentence.format(dir=tmp_path)}") and "\n" not in err
    assert PASSWORD not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == (["p.txt"] if file_text else [])
