"""Connecting as libpq does, for the api and every command: no password at all when the server asks
none; otherwise the URL, PGPASSWORD, ~/.pgpass (PGPASSFILE), the keyring entry the login window
saved, and last a prompt, only on a terminal."""

from __future__ import annotations

import datetime as dt
import getpass
import io
import sys

import keyring
import pytest
import sqlalchemy as sa

from backoffice.cli import main
from backoffice.credentials import SERVICE, keyring_username
from backoffice.db_login import connect
from backoffice.errors import DatabaseUnavailable
from backoffice.services.login import ServerProfile
from tests.conftest import DEMO_PASSWORDS
from tests.integration.trust_fixtures import trusted_finance_login_fixture  # noqa: F401 (a fixture)
from tests.unit.keyring_fakes import InMemoryKeyring


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def nowhere(monkeypatch, tmp_path) -> InMemoryKeyring:
    """No password in the environment, no password file, an empty keyring, no terminal."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    fake = InMemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: fake)
    return fake


@pytest.fixture
def terminal(monkeypatch) -> list[str]:
    """A terminal where the person types demo_finance's password; the prompts shown are listed."""
    prompts: list[str] = []
    monkeypatch.setattr(sys, "stdin", _Terminal(""))

    def typed(prompt: str) -> str:
        prompts.append(prompt)
        return DEMO_PASSWORDS["demo_finance"]

    monkeypatch.setattr(getpass, "getpass", typed)
    return prompts


def _current_user(url) -> str:
    with connect(url) as conn:
        return conn.execute(sa.text("SELECT current_user")).scalar_one()


def _report(url, target) -> int:
    today = dt.date.today()
    text_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
    period = ["--from", f"{today - dt.timedelta(days=60)}", "--to", f"{today}"]
    return main(["report", "revenue", "--url", text_url, *period, "-o", str(target)])


def test_a_nightly_report_needs_no_password_when_the_server_trusts_the_login(
    trusted_finance_login, nowhere, tmp_path, capsys
):
    target = tmp_path / "revenue.csv"

    assert _report(trusted_finance_login, target) == 0, capsys.readouterr().err

    assert target.stat().st_size > 0
    assert nowhere.calls == []  # the server asked nothing: the keyring was not even opened


def test_a_trusted_login_is_not_prompted_even_on_a_terminal(
    trusted_finance_login, nowhere, terminal
):
    assert _current_user(trusted_finance_login) == trusted_finance_login.username
    assert terminal == []


def test_the_password_comes_from_the_file_pgpassfile_names(
    demo_database, nowhere, tmp_path, monkeypatch
):
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"*:*:*:demo_finance:{DEMO_PASSWORDS['demo_finance']}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))

    assert _current_user(demo_database.login_url("demo_finance", None)) == "demo_finance"
    assert nowhere.calls == []


def _remember(keyring_fake: InMemoryKeyring, url, password: str) -> None:
    """What the login window saves with "remember password" for a server entry like the URL's."""
    host = url.host or str(url.query["host"])
    profile = ServerProfile(host=host, port=url.port or 5432, database=url.database or "")
    keyring_fake.entries[(SERVICE, keyring_username(profile.key, url.username))] = password


def test_the_keyring_entry_the_login_window_saved_is_used_when_libpq_has_none(
    demo_database, nowhere, terminal
):
    url = demo_database.login_url("demo_finance", None)
    _remember(nowhere, url, DEMO_PASSWORDS["demo_finance"])

    assert _current_user(url) == "demo_finance"
    assert terminal == []  # found before anyone was asked


def test_a_stale_keyring_password_lets_the_person_at_the_terminal_type_it(
    demo_database, nowhere, terminal
):
    url = demo_database.login_url("demo_finance", None)
    _remember(nowhere, url, "an-old-password")

    assert _current_user(url) == "demo_finance"
    assert len(terminal) == 1


def test_a_stale_keyring_password_with_no_terminal_is_one_sentence(demo_database, nowhere):
    url = demo_database.login_url("demo_finance", None)
    _remember(nowhere, url, "an-old-password")

    with pytest.raises(DatabaseUnavailable, match="password was not accepted") as refused:
        _current_user(url)
    assert "an-old-password" not in str(refused.value)


def test_a_terminal_is_asked_when_the_server_asks_and_nothing_else_has_the_password(
    demo_database, nowhere, terminal
):
    assert _current_user(demo_database.login_url("demo_finance", None)) == "demo_finance"

    assert len(terminal) == 1 and terminal[0].startswith("Password for demo_finance on ")


def test_with_no_password_anywhere_and_no_terminal_the_command_says_where_to_put_one(
    demo_database, nowhere, tmp_path, capsys
):
    target = tmp_path / "revenue.pdf"

    assert _report(demo_database.login_url("demo_finance", None), target) == 1

    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "asks for demo_finance's password" in err and "~/.pgpass" in err
    assert not target.exists()
