"""#11 item 8: an admin who makes a therapist's login knows its first password, so that password is
temporary: it expires within hours, and until the therapist replaces it with their own the login
may do nothing else. The creation and the first use are on record, and the therapist is told."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import errors

from backoffice.services.login import TEMPORARY_PASSWORD_HOURS
from tests.pg import libpq_conninfo
from tests.security.conftest import THERAPIST_A, SecuredClinic

LINK = "SELECT backoffice.link_therapist_staff(%s, %s, %s, %s, %s)"
CREATE = "SELECT backoffice.create_therapist_login(%s, %s)"
SET_OWN = "SELECT backoffice.set_own_password(%s)"
KNOWN_TO_THE_ADMIN = "the-admin-knows-this"
THE_THERAPISTS_OWN = "only-the-therapist-knows"


def _verifier(conn: psycopg.Connection, login: str, password: str) -> str:
    return conn.pgconn.encrypt_password(
        password.encode(), login.encode(), b"scram-sha-256"
    ).decode()


def _as(clinic: SecuredClinic, login: str, password: str) -> psycopg.Connection:
    url = clinic.owner_url.set(username=login, password=password)
    return psycopg.connect(libpq_conninfo(url))


@pytest.fixture
def admin_made_login(secured_clinic) -> Iterator[str]:
    """A login an admin made for therapist A with a password the admin chose, with raw SQL."""
    login = f"sec_made_{uuid.uuid4().hex[:8]}"
    with secured_clinic.connect("admin") as admin:
        admin.execute(LINK, (login, THERAPIST_A, "Ananya Iyer", None, None))
        admin.execute(CREATE, (login, _verifier(admin, login, KNOWN_TO_THE_ADMIN)))
        admin.commit()
    try:
        yield login
    finally:
        with secured_clinic.owner() as owner:
            owner.execute("DELETE FROM backoffice.staff_accounts WHERE login_role = %s", (login,))
            owner.execute("DELETE FROM notifications WHERE related_id = %s", (login,))
            owner.execute(f'DROP ROLE IF EXISTS "{login}"')


ATTEMPTS = (
    "SELECT count(*) FROM public.bookings",
    "SELECT count(*) FROM public.client_session_notes",
    "SELECT * FROM backoffice.session_staff()",
    "INSERT INTO backoffice.audit_events (action, subject_type) VALUES ('x', 'y')",
)


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_the_admins_password_opens_nothing_but_the_password_change(
    secured_clinic, admin_made_login, attempt
):
    with (
        _as(secured_clinic, admin_made_login, KNOWN_TO_THE_ADMIN) as conn,
        pytest.raises(errors.InsufficientPrivilege),
    ):
        conn.execute(attempt)


def test_the_admins_password_expires_within_hours(secured_clinic, admin_made_login):
    with secured_clinic.owner() as owner:
        row = owner.execute(
            "SELECT rolvaliduntil, now() FROM pg_roles WHERE rolname = %s", (admin_made_login,)
        ).fetchone()
    assert row is not None and row[0] is not None
    assert row[0] <= row[1] + dt.timedelta(hours=TEMPORARY_PASSWORD_HOURS)


def test_the_therapist_sets_their_own_password_and_both_steps_are_on_record(
    secured_clinic, admin_made_login
):
    login = admin_made_login
    with _as(secured_clinic, login, KNOWN_TO_THE_ADMIN) as conn:
        conn.execute(SET_OWN, (_verifier(conn, login, THE_THERAPISTS_OWN),))
        conn.commit()
    with _as(secured_clinic, login, THE_THERAPISTS_OWN) as conn:
        staff = conn.execute("SELECT therapist_id FROM backoffice.session_staff()").fetchall()
        conn.execute("SELECT count(*) FROM public.bookings")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        _as(secured_clinic, login, KNOWN_TO_THE_ADMIN).close()
    with secured_clinic.owner() as owner:
        events = owner.execute(
            "SELECT action, actor FROM backoffice.audit_events WHERE subject_id = %s "
            "AND subject_type = 'staff_account' ORDER BY id",
            (login,),
        ).fetchall()
        told = owner.execute(
            "SELECT n.notification_type FROM notifications n JOIN users u ON u.id = n.user_id "
            "WHERE u.therapist_id = %s AND n.related_id = %s ORDER BY n.notification_id",
            (THERAPIST_A, login),
        ).fetchall()
    assert staff == [(THERAPIST_A,)]
    admin = secured_clinic.logins["admin"]
    assert events == [("staff.temporary_password", admin), ("staff.password_set", login)]
    assert told == [("backoffice_login_created",), ("backoffice_password_set",)]


@pytest.mark.parametrize("who", ["admin", "therapist_a"])
def test_no_login_sets_another_logins_password(secured_clinic, who):
    target = secured_clinic.logins["therapist_b"]
    with secured_clinic.connect(who) as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(SET_OWN, (_verifier(conn, target, "a-new-password"),))
        conn.rollback()
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(f"ALTER ROLE {target} PASSWORD 'a-new-password'")


def test_an_admin_cannot_reset_a_therapist_who_already_chose_a_password(secured_clinic):
    login = secured_clinic.logins["therapist_a"]
    with secured_clinic.connect("admin") as conn, pytest.raises(errors.DuplicateObject):
        conn.execute(CREATE, (login, _verifier(conn, login, KNOWN_TO_THE_ADMIN)))
