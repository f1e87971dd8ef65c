"""Logging in with open_session: who the database says you are, and one sentence for every failure."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace

import psycopg
import pytest

from backoffice.errors import BackofficeError, DatabaseUnavailable, ValidationError
from backoffice.services.login import NOT_PROVISIONED, NOT_STAFF, ServerProfile, open_session
from backoffice.services.permissions import Role
from tests.pg import libpq_conninfo, unique_name


def _login(profile, username, password):
    session = open_session(profile, username=username, password=password)
    session.close()
    return session.actor


@pytest.mark.parametrize(
    ("username", "password", "role"),
    [
        ("demo_admin", "demo-admin-pass", Role.ADMIN),
        ("demo_finance", "demo-finance-pass", Role.FINANCE),
        ("demo_therapist", "demo-therapist-pass", Role.THERAPIST),
    ],
)
def test_each_demo_login_is_identified_by_the_database(demo_database, username, password, role):
    actor = _login(demo_database.profile(), username, password)

    assert (actor.login_role, actor.role) == (username, role)
    assert (actor.therapist_id is not None) == (role is Role.THERAPIST)


@pytest.mark.parametrize(
    ("username", "password"),
    [("demo_admin", "not-the-password"), ("nobody_here", "whatever-it-is")],
)
def test_a_wrong_password_and_an_unknown_user_get_the_same_sentence(
    demo_database, username, password
):
    with pytest.raises(DatabaseUnavailable) as caught:
        _login(demo_database.profile(), username, password)

    assert "user name or password was not accepted" in str(caught.value)
    assert password not in str(caught.value)


def test_empty_fields_are_refused_before_connecting(demo_database):
    with pytest.raises(ValidationError, match="Enter your user name"):
        _login(demo_database.profile(), " ", "x")
    with pytest.raises(ValidationError, match="Enter your password"):
        _login(demo_database.profile(), "demo_admin", "")


def test_an_unreachable_server_is_reported_within_seconds():
    # A listener that accepts TCP connections and never answers: only a timeout can end the wait.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable, match="did not answer within"):
            _login(
                ServerProfile(host="127.0.0.1", port=port, database="clinic"),
                "demo_admin",
                "x" * 10,
            )
        assert time.monotonic() - started < 15
    finally:
        silent.close()


def test_nothing_listening_is_reported_as_such():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DatabaseUnavailable, match="Nothing is answering"):
        _login(
            ServerProfile(host="127.0.0.1", port=port, database="clinic"), "demo_admin", "x" * 10
        )


def test_tls_required_but_refused_by_the_server(demo_database):
    profile = demo_database.profile()
    if profile.is_demo:
        # The embedded server listens on a Unix socket, where TLS does not exist; use a fake server
        # that answers the TLS request with "no" as a server without TLS does.
        port = _server_without_tls()
        profile = ServerProfile(host="127.0.0.1", port=port, database="clinic")
    with pytest.raises(DatabaseUnavailable, match="refused the encrypted"):
        _login(replace(profile, sslmode="require"), "demo_admin", "demo-admin-pass")


def _server_without_tls() -> int:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def answer_no() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(8)  # SSLRequest
            conn.sendall(b"N")
            conn.recv(1024)
        listener.close()

    threading.Thread(target=answer_no, daemon=True).start()
    return listener.getsockname()[1]


def test_a_disabled_account_is_told_so(demo_database, pg_superuser_url):
    login = unique_name("disabled")
    with psycopg.connect(libpq_conninfo(demo_database.owner_url), autocommit=True) as conn:
        conn.execute(
            f"CREATE ROLE {login} NOLOGIN PASSWORD 'pass-word-123' "
            f"IN ROLE {demo_database.group('admin')}"
        )
    # PgBouncer refuses a NOLOGIN role itself, as "no such user": then it is a wrong password.
    told = "was not accepted" if demo_database.via_pooler else "This account has been disabled"
    try:
        with pytest.raises(DatabaseUnavailable, match=told):
            _login(demo_database.profile(), login, "pass-word-123")
    finally:
        with psycopg.connect(libpq_conninfo(demo_database.owner_url), autocommit=True) as conn:
            conn.execute(f"DROP ROLE {login}")


def test_a_login_with_no_staff_account_is_told_so(demo_database):
    login = unique_name("stranger")
    with psycopg.connect(libpq_conninfo(demo_database.owner_url), autocommit=True) as conn:
        conn.execute(
            f"CREATE ROLE {login} LOGIN PASSWORD 'pass-word-123' "
            f"IN ROLE {demo_database.group('admin')}"
        )
    try:
        with pytest.raises(DatabaseUnavailable) as caught:
            _login(demo_database.profile(), login, "pass-word-123")
        assert str(caught.value) == NOT_STAFF
    finally:
        with psycopg.connect(libpq_conninfo(demo_database.owner_url), autocommit=True) as conn:
            conn.execute(f"DROP ROLE {login}")


def test_a_database_that_was_never_provisioned_is_told_so(fresh_database_url):
    login = unique_name("early")
    with psycopg.connect(libpq_conninfo(fresh_database_url), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {login} LOGIN PASSWORD 'pass-word-123'")
    try:
        profile = _profile_for(fresh_database_url)
        with pytest.raises(BackofficeError) as caught:
            _login(profile, login, "pass-word-123")
        assert str(caught.value) == NOT_PROVISIONED
    finally:
        with psycopg.connect(libpq_conninfo(fresh_database_url), autocommit=True) as conn:
            conn.execute(f"DROP ROLE {login}")


def _profile_for(url) -> ServerProfile:
    if url.host:
        return ServerProfile(host=url.host, port=url.port or 5432, database=url.database)
    return ServerProfile(host=url.query["host"], port=None, database=url.database, is_demo=True)
