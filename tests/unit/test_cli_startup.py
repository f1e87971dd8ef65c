"""What the command answers without a database it answers without loading the heavy libraries:
help, usage mistakes and every local check (dates, period, report name, file, options)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "alembic", "psycopg", "pandas", "numpy", "reportlab", "PySide6", "keyring")
PROBE = """
import json, sys
from backoffice.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(HEAVY)))
print(json.dumps({"code": code, "heavy": heavy}))
"""


def _answer(*argv: str, cwd: str | None = None) -> dict:
    ran = subprocess.run(
        [sys.executable, "-c", PROBE.replace("HEAVY", repr(json.dumps(HEAVY))), *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )
    return json.loads(ran.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["report", "--help"],
        ["db", "check", "--help"],
        ["staff", "add", "--help"],
        ["demo", "--help"],
        ["report", "--list"],
    ],
)
def test_help_loads_no_database_qt_or_dataframe_library(argv):
    answer = _answer(*argv)

    assert answer == {"code": 0, "heavy": []}


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--no-such-option"],
        ["staff", "add", "--role", "clerk", "--username", "asha"],
        ["report", "nope", "--from", "2026-01-01", "--to", "2026-01-31", "-o", "r.pdf"],
        ["report", "revenue", "--from", "2026-02-01", "--to", "2026-01-01", "-o", "r.pdf"],
        ["report", "revenue", "--from", "2026-01-01", "--to", "2026-01-31", "-o", "r.docx"],
        ["report", "revenue", "--from", "2026-01-01", "--to", "2026-01-31", "-o", "no/dir/r.pdf"],
    ],
)
def test_a_mistake_found_without_a_database_loads_none_of_them_either(argv, tmp_path):
    answer = _answer(*argv, "--url", "postgresql://nobody@127.0.0.1:1/clinic", cwd=str(tmp_path))

    assert answer["code"] != 0
    assert answer["heavy"] == []


@pytest.mark.parametrize(
    ("username", "typed", "sentence"),
    [
        ("Bad Name", "long-enough-password\n", "A user name is 3 to 63 lower-case letters"),
        ("asha", "short\n", "The password must have at least"),
    ],
)
def test_staff_add_checks_the_name_and_password_before_connecting(
    username, typed, sentence, monkeypatch, capsys
):
    from backoffice.cli import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    nowhere = "postgresql://owner@127.0.0.1:1/clinic"  # connecting would say nothing answers
    argv = ["staff", "add", "--url", nowhere, "--username", username, "--role", "admin"]

    assert main([*argv, "--password-stdin"]) == 1
    assert capsys.readouterr().err.startswith(f"backoffice: {sentence}")
