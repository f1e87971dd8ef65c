"""`backoffice --version` is instant; `backoffice --self-test` says what is wrong in one sentence each."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys

import pytest

from backoffice import __version__, resources
from backoffice.selftest import CheckFailed, run_self_test
from backoffice.selftest.checks import check_resources
from backoffice.selftest.documents import check_encrypted_sqlite
from backoffice.selftest.window import start_window_check


def test_version_is_printed_without_importing_sqlalchemy_qt_or_pandas():
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "backoffice", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == f"clinic-backoffice {__version__}\n"
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()}
    heavy = {name for name in imported if name.split(".")[0] in {"sqlalchemy", "PySide6", "pandas"}}
    assert heavy == set()


def _missing() -> str:
    raise CheckFailed("The thing is missing.")


def _broken() -> str:
    raise RuntimeError("deep inside")


def test_each_failed_check_is_one_sentence_and_the_exit_is_not_zero():
    out = io.StringIO()
    checks = [("fine", lambda: "all there"), ("missing", _missing), ("broken", _broken)]
    assert run_self_test(out, checks, window=False) == 1
    lines = out.getvalue().splitlines()
    assert lines[1:] == [
        "  ok     fine         all there",
        "  FAILED missing      The thing is missing.",
        "  FAILED broken       Failed unexpectedly (RuntimeError: deep inside).",
        "Self-test failed: 2 of 3 checks.",
    ]
    assert "Traceback" not in out.getvalue()


def test_passing_checks_exit_zero_with_a_summary():
    out = io.StringIO()
    assert run_self_test(out, [("fine", lambda: "all there")], window=False) == 0
    assert out.getvalue().splitlines()[-1].startswith("Self-test passed: 1 checks in ")


def test_missing_icon_and_logo_are_named(monkeypatch, tmp_path):
    monkeypatch.setattr(resources, "resources_dir", lambda: tmp_path)
    with pytest.raises(CheckFailed, match=r"icons/app\.svg.*logo\.png"):
        check_resources()


def test_plain_sqlite_posing_as_sqlcipher_is_caught(monkeypatch):
    # Plain SQLite ignores PRAGMA key and writes the file in the clear.
    monkeypatch.setitem(sys.modules, "sqlcipher3", sqlite3)
    with pytest.raises(CheckFailed, match="in the clear"):
        check_encrypted_sqlite()


def test_no_sqlcipher_at_all_is_caught(monkeypatch):
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)
    with pytest.raises(CheckFailed, match="missing or is not SQLCipher"):
        check_encrypted_sqlite()


def test_sqlcipher_check_passes_with_the_real_sqlcipher():
    assert "wrong key refused" in check_encrypted_sqlite()


def test_qt_that_cannot_be_imported_is_the_window_checks_sentence(monkeypatch, tmp_path):
    (tmp_path / "PySide6").mkdir()
    (tmp_path / "PySide6" / "__init__.py").write_text("raise ImportError('no Qt here')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    with pytest.raises(CheckFailed, match=r"^Qt cannot be loaded \(no Qt here\)\.$"):
        start_window_check()()
