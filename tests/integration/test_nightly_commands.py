"""`backoffice registrations notify` and `backoffice notes scan`: the nightly jobs, as an admin
login on a private clone; a second run does nothing; a finance login is told in one sentence."""

from __future__ import annotations

import pytest

from backoffice.cli import main
from tests.conftest import DEMO_PASSWORDS


def _url(database, login: str) -> str:
    url = database.login_url(login, DEMO_PASSWORDS[login])
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def test_notify_tells_each_therapist_once(demo_clone, capsys):
    assert main(["registrations", "notify", "--url", _url(demo_clone, "demo_admin")]) == 0
    first = capsys.readouterr().out
    assert main(["registrations", "notify", "--url", _url(demo_clone, "demo_admin")]) == 0
    assert first.strip() == "Told 2 therapists: 58005, 58003."  # soonest expiry first
    assert capsys.readouterr().out.strip() == "Nobody to tell today."


def test_the_nightly_scan_finds_nothing_new_after_the_demo_build(demo_clone, capsys):
    assert main(["notes", "scan", "--url", _url(demo_clone, "demo_admin")]) == 0
    assert capsys.readouterr().out.startswith("0 notes scanned in 0 batches")


@pytest.mark.parametrize("command", [["registrations", "notify"], ["notes", "scan"]])
def test_a_finance_login_is_refused_in_one_sentence(demo_clone, capsys, command):
    assert main([*command, "--url", _url(demo_clone, "demo_finance")]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
