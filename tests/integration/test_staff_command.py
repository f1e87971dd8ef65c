"""`backoffice staff add|list|disable` as the database owner: a login that works, audited, then refused."""

from __future__ import annotations

import io
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from backoffice import migrations
from backoffice.cli import main
from backoffice.owner.provisioning import provision
from tests.pg import libpq_conninfo, unique_name

SEED_DDL = Path(__file__).parents[1] / "sql" / "clinic_seed_ddl.sql"


@pytest.fixture
def provisioned(fresh_database_url):
    with psycopg.connect(libpq_conninfo(fresh_database_url), autocommit=True) as conn:
        conn.execute(SEED_DDL.read_text())
    engine = sa.create_engine(fresh_database_url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        migrations.upgrade(conn)
        provision(conn)
    engine.dispose()
    return fresh_database_url


def _add_staff(url: str, login: str, role: str) -> int:
    """`backoffice staff add`, the password read from standard input."""
    argv = ["staff", "add", "--url", url, "--username", login, "--role", role, "--password-stdin"]
    return main(argv)


def test_staff_add_list_disable_with_an_audit_trail(provisioned, monkeypatch, capsys):
    login = unique_name("clerk")
    url = provisioned.render_as_string(hide_password=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    try:
        assert _add_staff(url, login, "finance") == 0
        assert main(["staff", "list", "--url", url]) == 0
        assert login in capsys.readouterr().out
        psycopg.connect(
            libpq_conninfo(provisioned.set(username=login, password="a-long-password"))
        ).close()

        assert main(["staff", "disable", "--url", url, "--username", login]) == 0
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(
                libpq_conninfo(provisioned.set(username=login, password="a-long-password"))
            )
        with psycopg.connect(libpq_conninfo(provisioned)) as owner:
            events = owner.execute(
                "SELECT action, subject_id, details->>'role' FROM backoffice.audit_events "
                "WHERE subject_type = 'staff_account' ORDER BY id"
            ).fetchall()
        assert events == [("staff.added", login, "finance"), ("staff.disabled", login, None)]
    finally:
        with psycopg.connect(libpq_conninfo(provisioned), autocommit=True) as owner:
            owner.execute(f'DROP ROLE IF EXISTS "{login}"')


def test_a_short_password_is_refused_and_nothing_is_created(provisioned, monkeypatch, capsys):
    login = unique_name("clerk")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    url = provisioned.render_as_string(hide_password=False)

    assert _add_staff(url, login, "admin") == 1

    assert "at least 10 characters" in capsys.readouterr().err
    with psycopg.connect(libpq_conninfo(provisioned)) as owner:
        assert (
            owner.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone() is None
        )


def test_a_therapist_login_links_the_therapists_existing_website_user(
    provisioned, monkeypatch, capsys
):
    """#14 item 4: `staff add --therapist-id T1000` used to insert a second users row although
    t1000 existed, and transfer notifications then went to both."""
    login = unique_name("ravi")
    with psycopg.connect(libpq_conninfo(provisioned), autocommit=True) as owner:
        owner.execute("INSERT INTO therapists (therapist_id, name) VALUES ('T1000', 'Ravi Rao')")
        user_id = owner.execute(
            "INSERT INTO users (username, password, name, role, therapist_id) "
            "VALUES ('t1000', '$2b$12$the.websites.own', 'Ravi Rao', 'therapist', 'T1000') "
            "RETURNING id"
        ).fetchone()[0]  # type: ignore[index]
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    url = provisioned.render_as_string(hide_password=False)
    argv = ["staff", "add", "--url", url, "--username", login, "--role", "therapist"]
    try:
        assert main([*argv, "--therapist-id", "T1000", "--password-stdin"]) == 0
        with psycopg.connect(libpq_conninfo(provisioned)) as owner:
            users = owner.execute(
                "SELECT id, username, password FROM users WHERE therapist_id = 'T1000'"
            ).fetchall()
            linked = owner.execute(
                "SELECT user_id FROM backoffice.staff_accounts WHERE login_role = %s", (login,)
            ).fetchone()
    finally:
        with psycopg.connect(libpq_conninfo(provisioned), autocommit=True) as owner:
            owner.execute(f'DROP ROLE IF EXISTS "{login}"')
    assert users == [(user_id, "t1000", "$2b$12$the.websites.own")]
    assert linked == (user_id,)
    assert f"linked to the website user t1000 (id {user_id})" in capsys.readouterr().out
