"""Server profiles: the read-only server beside the primary, and how its host and port are read."""

from __future__ import annotations

import pytest

from backoffice.services.login import ServerProfile
from backoffice.services.login.server_profile import split_host_port


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("replica", ("replica", 5432)),
        (" replica:5433 ", ("replica", 5433)),
        ("10.0.0.7:6432", ("10.0.0.7", 6432)),
        ("[::1]:5433", ("::1", 5433)),
        ("[::1]", ("::1", 5432)),
        ("fe80::1", ("fe80::1", 5432)),
        ("replica:port", ("replica:port", 5432)),
    ],
)
def test_a_read_only_server_is_a_host_and_maybe_a_port(text, expected):
    assert split_host_port(text, default_port=5432) == expected


def test_the_read_only_server_is_the_same_login_database_and_tls_mode():
    profile = ServerProfile(host="db", port=6432, database="clinic", sslmode="require",
                            read_server="replica")  # fmt: skip
    url = profile.read_url("ana", "secret")
    assert url is not None
    assert (url.host, url.port, url.database, url.username, url.password) == (
        "replica", 6432, "clinic", "ana", "secret",
    )  # fmt: skip
    assert url.query["sslmode"] == "require"


def test_without_a_read_only_server_there_is_no_read_url():
    assert ServerProfile(host="db").read_url("ana") is None
    assert ServerProfile(host="/tmp/demo", is_demo=True, read_server="x").read_url("ana") is None
