"""Where a password comes from when the server asks: the keyring key is the login window's own."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from backoffice.db_login import login_target
from backoffice.services.login import ServerProfile


@pytest.mark.parametrize(
    ("url", "profile"),
    [
        (
            "postgresql://asha@DB.Clinic.example/clinic",
            ServerProfile(host="db.clinic.example", database="clinic"),
        ),
        (
            "postgresql://asha@db.clinic.example:6432/clinic?sslmode=require",
            ServerProfile(host="db.clinic.example", port=6432, database="clinic"),
        ),
        (
            "postgresql://asha@/clinic?host=/var/run/postgresql",
            ServerProfile(host="/var/run/postgresql", database="clinic"),
        ),
    ],
)
def test_a_url_finds_the_keyring_entry_the_login_window_saved_for_its_server(url, profile):
    assert login_target(make_url(url)).server == profile.key


def test_what_the_url_leaves_out_comes_from_libpqs_environment(monkeypatch):
    monkeypatch.setenv("PGUSER", "ravi")
    monkeypatch.setenv("PGHOST", "db.clinic.example")
    monkeypatch.setenv("PGPORT", "6432")
    monkeypatch.delenv("PGDATABASE", raising=False)

    target = login_target(make_url("postgresql://"))

    assert (target.user, target.host, target.port, target.database) == (
        "ravi",
        "db.clinic.example",
        6432,
        "ravi",
    )
