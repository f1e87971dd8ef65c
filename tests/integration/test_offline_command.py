"""`backoffice offline checkout|status|list|sync|wipe` as a therapist would run them: the same
services as the window, one sentence for every refusal, `list` without the network."""

from __future__ import annotations

import io
import sys

import keyring
import pytest

from backoffice.cli import main
from backoffice.db_login import login_target
from backoffice.services.offline import list_copies, open_copy, save_draft
from tests.conftest import DEMO_PASSWORDS
from tests.integration.offline_fixtures import (  # noqa: F401 (fixtures)
    Offline,
    clinic_fixture,
    offline_fixture,
)
from tests.integration.test_chart import OWN_CLIENT, PAST_BOOKING
from tests.integration.transfer_fixtures import OLD

PASSWORD = DEMO_PASSWORDS["demo_therapist"]


@pytest.fixture
def cli(offline: Offline, monkeypatch: pytest.MonkeyPatch) -> Offline:
    """The command line with the test's in-memory keyring as this computer's keyring."""
    monkeypatch.setattr(keyring, "get_keyring", lambda: offline.keyring)
    return offline


def _url(offline: Offline, login: str, password: str | None = None) -> str:
    url = offline.clinic.database.login_url(login, password)
    return url.render_as_string(hide_password=False)


def _run(capsys, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = main(list(argv))
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err


def _clients(offline: Offline) -> list[str]:
    rows = offline.clinic.sql(
        "SELECT client_id FROM all_clients_table WHERE therapist_id = %s ORDER BY 1", OLD
    )
    return [row[0] for row in rows]


def test_checkout_status_list_sync_and_wipe_from_the_command_line(cli, capsys, monkeypatch):
    url = _url(cli, "demo_therapist")
    monkeypatch.setenv("PGPASSWORD", PASSWORD)  # found by libpq, as a script's would be
    code, out, err = _run(capsys, "offline", "checkout", "--url", url)
    assert code == 0, err
    assert out.startswith(f"Took {len(_clients(cli))} client(s)") and "(clinic time)" in out
    code, out, _ = _run(capsys, "offline", "status", "--user", "demo_therapist")
    assert code == 0 and out.startswith("demo_therapist on ") and "no drafts" in out
    monkeypatch.delenv("PGPASSWORD")
    code, out, _ = _run(
        capsys, "offline", "list", "--user", "demo_therapist", "--password-stdin", stdin=PASSWORD
    )
    assert code == 0 and sorted(line.split("\t")[0] for line in out.splitlines()) == _clients(cli)
    server = login_target(cli.clinic.database.login_url("demo_therapist", None)).server
    copy = open_copy(server=server, login="demo_therapist", password=PASSWORD)
    client = cli.clinic.value(OWN_CLIENT, OLD)
    save_draft(copy, booking_id=cli.clinic.value(PAST_BOOKING, client, OLD), text="From the train.")
    code, out, err = _run(capsys, "offline", "wipe", "--user", "demo_therapist")
    assert code == 1 and "1 draft(s) not yet synced" in err and list_copies()
    code, out, err = _run(capsys, "offline", "sync", "--url", _url(cli, "demo_therapist", PASSWORD))
    assert code == 0, err
    assert out.startswith("Uploaded 1 draft(s).") and "refreshed" in out
    code, out, _ = _run(capsys, "offline", "wipe", "--user", "demo_therapist")
    assert code == 0 and "wiped" in out and list_copies() == () and cli.keyring.entries == {}


def test_a_wrong_password_or_a_missing_key_is_one_sentence(cli, capsys):
    assert (
        _run(capsys, "offline", "checkout", "--url", _url(cli, "demo_therapist", PASSWORD))[0] == 0
    )
    code, _, err = _run(
        capsys, "offline", "list", "--user", "demo_therapist", "--password-stdin", stdin="wrong"
    )
    assert (code, err) == (
        1,
        "backoffice: That password does not open the offline copy of demo_therapist.\n",
    )
    cli.keyring.entries.clear()
    code, _, err = _run(
        capsys, "offline", "list", "--user", "demo_therapist", "--password-stdin", stdin=PASSWORD
    )
    assert code == 1 and err.startswith("backoffice: Working offline is unavailable: ")
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (("offline", "status", "--user", "nobody"), "There is no offline copy of nobody"),
        (("offline", "list", "--user", "nobody", "--password-stdin"), "no offline copy of nobody"),
        (("offline", "wipe", "--user", "nobody"), "no offline copy of nobody"),
    ],
)
def test_no_copy_is_said_plainly(cli, capsys, argv, sentence):
    _, out, err = _run(capsys, *argv, stdin="x")
    assert sentence in out + err and "Traceback" not in err


def test_only_a_therapist_takes_a_caseload_offline(cli, capsys):
    code, _, err = _run(
        capsys,
        "offline",
        "checkout",
        "--url",
        _url(cli, "demo_finance", DEMO_PASSWORDS["demo_finance"]),
    )
    assert code == 1 and "does not allow you to take a caseload offline" in err
