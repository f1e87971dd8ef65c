"""#11 item 6: disabling a login means now. A session opened before `staff disable`, or before an
admin deactivated the therapist, cannot run one more statement."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy as sa

from backoffice.cli import main
from backoffice.owner.staff_logins import add_staff
from tests.pg import libpq_conninfo
from tests.security.conftest import PASSWORD, SecuredClinic

LEAVER = "T-LEAVER"


def _add(clinic: SecuredClinic, role: str, therapist_id: str | None = None) -> str:
    login = f"sec_leaver_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(clinic.owner_url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        add_staff(conn, username=login, role=role, password=PASSWORD, therapist_id=therapist_id)
    engine.dispose()
    return login


def _open_as(clinic: SecuredClinic, login: str) -> psycopg.Connection:
    url = clinic.owner_url.set(username=login, password=PASSWORD)
    return psycopg.connect(libpq_conninfo(url), autocommit=True)


@pytest.fixture
def leaving_therapist(secured_clinic) -> Iterator[str]:
    with secured_clinic.owner() as owner:
        owner.execute(
            "INSERT INTO therapists (therapist_id, name) VALUES (%s, 'Leaves')", (LEAVER,)
        )
    login = _add(secured_clinic, "therapist", LEAVER)
    try:
        yield login
    finally:
        with secured_clinic.owner() as owner:
            for statement in (
                "DELETE FROM backoffice.therapist_status_changes WHERE therapist_id = %(t)s",
                "DELETE FROM backoffice.staff_accounts WHERE therapist_id = %(t)s",
                "DELETE FROM users WHERE therapist_id = %(t)s",
                "DELETE FROM therapists WHERE therapist_id = %(t)s",
            ):
                owner.execute(statement, {"t": LEAVER})
            owner.execute(f'DROP ROLE IF EXISTS "{login}"')


def test_staff_disable_ends_the_sessions_the_login_already_had_open(secured_clinic):
    login = _add(secured_clinic, "finance")
    url = secured_clinic.owner_url.render_as_string(hide_password=False)
    try:
        with _open_as(secured_clinic, login) as before:
            before.execute("SELECT count(*) FROM public.payments")

            assert main(["staff", "disable", "--url", url, "--username", login]) == 0

            with pytest.raises(psycopg.OperationalError, match="terminating connection"):
                before.execute("SELECT count(*) FROM public.payments")
    finally:
        with secured_clinic.owner() as owner:
            owner.execute(f'DROP ROLE IF EXISTS "{login}"')


def test_deactivating_a_therapist_ends_their_logins_open_sessions(
    secured_clinic, leaving_therapist
):
    with _open_as(secured_clinic, leaving_therapist) as before:
        before.execute("SELECT count(*) FROM public.bookings")
        with secured_clinic.connect("admin") as admin:
            admin.execute(
                "INSERT INTO backoffice.therapist_status_changes (therapist_id, is_active, reason) "
                "VALUES (%s, false, 'left the clinic')",
                (LEAVER,),
            )
            admin.commit()

        with pytest.raises(psycopg.OperationalError, match="terminating connection"):
            before.execute("SELECT count(*) FROM public.bookings")
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        _open_as(secured_clinic, leaving_therapist).close()
