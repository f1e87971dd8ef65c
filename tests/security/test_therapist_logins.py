"""The two SECURITY DEFINER doors admins use at approval time, tried with raw SQL: only admins may
call them, and they create nothing but a therapist's staff account and a plain therapist login."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg import errors

from tests.security.conftest import THERAPIST_A

LINK = "SELECT backoffice.link_therapist_staff(%s, %s, %s, %s, %s)"
CREATE = "SELECT backoffice.create_therapist_login(%s, %s)"


def _verifier(conn: psycopg.Connection, login: str, password: str = "a-long-password") -> str:
    return conn.pgconn.encrypt_password(
        password.encode(), login.encode(), b"scram-sha-256"
    ).decode()


def _fresh() -> str:
    return f"sec_new_{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("who", ["finance", "therapist_a"])
def test_only_admins_may_call_the_login_functions(secured_clinic, who):
    login = _fresh()
    with secured_clinic.connect(who) as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(LINK, (login, THERAPIST_A, "Someone", None, None))
        conn.rollback()
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(CREATE, (login, _verifier(conn, login)))


def test_an_admin_creates_a_plain_login_waiting_for_the_therapists_own_password(secured_clinic):
    login = _fresh()
    with secured_clinic.connect("admin") as conn:
        conn.execute(LINK, (login, THERAPIST_A, "Ananya Iyer", "ananya@example.org", None))
        conn.execute(CREATE, (login, _verifier(conn, login)))
        role = conn.execute(
            "SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication, "
            "ARRAY(SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "      WHERE m.member = r.oid) FROM pg_roles r WHERE rolname = %s",
            (login,),
        ).fetchone()
        conn.rollback()  # nothing stays behind: roles are transactional
    # Not yet a therapist: the admin chose its password (#11 item 8, test_admin_made_logins).
    pending_group = secured_clinic.groups["pending"]
    assert role == (True, False, False, False, False, False, [pending_group])


@pytest.mark.parametrize(
    ("attempt", "error"),
    [
        ("no staff account", errors.ForeignKeyViolation),
        ("clear password", errors.InvalidParameterValue),
        ("existing login", errors.DuplicateObject),
        ("bad name", errors.InvalidParameterValue),
    ],
)
def test_create_therapist_login_refuses_anything_else(secured_clinic, attempt, error):
    with secured_clinic.connect("admin") as conn:
        login = _fresh()
        if attempt == "no staff account":
            args = (login, _verifier(conn, login))
        elif attempt == "clear password":
            conn.execute(LINK, (login, THERAPIST_A, "Ananya Iyer", None, None))
            args = (login, "plain-text-password")
        elif attempt == "existing login":
            existing = secured_clinic.logins["therapist_a"]
            args = (existing, _verifier(conn, existing))
        else:
            args = ('x"; DROP ROLE postgres; --', _verifier(conn, login))
        with pytest.raises(error):
            conn.execute(CREATE, args)


@pytest.mark.parametrize("target", ["admin", "postgres", "missing therapist"])
def test_link_therapist_staff_never_takes_over_another_account_or_role(secured_clinic, target):
    with secured_clinic.connect("admin") as conn:
        login = {"admin": secured_clinic.logins["admin"], "postgres": "postgres"}.get(
            target, _fresh()
        )
        therapist = "T-NOPE" if target == "missing therapist" else THERAPIST_A
        with pytest.raises((errors.UniqueViolation, errors.ForeignKeyViolation)):
            conn.execute(LINK, (login, therapist, "Ananya Iyer", None, None))
