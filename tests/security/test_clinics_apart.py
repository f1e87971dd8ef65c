"""#11 item 5: two clinic databases provisioned on one server. A login of one clinic can neither
connect to the other nor, were CONNECT given to everybody again, read a single row there."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import errors

from tests.pg import libpq_conninfo, unique_name
from tests.security.conftest import SecuredClinic, build_secured_clinic, drop_secured_clinic

WHO = ("admin", "finance", "therapist_a")


@pytest.fixture(scope="module")
def other_clinic(pg_superuser_url) -> Iterator[SecuredClinic]:
    clinic = build_secured_clinic(pg_superuser_url, unique_name("other"), uuid.uuid4().hex[:6])
    try:
        yield clinic
    finally:
        drop_secured_clinic(pg_superuser_url, clinic)


def _as_login_of(clinic: SecuredClinic, who: str, other: SecuredClinic) -> str:
    """The conninfo of `clinic`'s login `who`, pointed at the other clinic's database."""
    return libpq_conninfo(clinic.url(who).set(database=other.owner_url.database))


@pytest.mark.parametrize("who", WHO)
def test_a_login_of_one_clinic_cannot_connect_to_another_clinic(secured_clinic, other_clinic, who):
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        psycopg.connect(_as_login_of(secured_clinic, who, other_clinic)).close()
    # ...and the other clinic's own logins still can.
    other_clinic.connect(who).close()


@pytest.mark.parametrize("who", ["admin", "finance"])
def test_a_login_of_one_clinic_reads_nothing_of_another_even_with_connect_for_everyone(
    secured_clinic, other_clinic, who
):
    database = other_clinic.owner_url.database
    with other_clinic.owner() as owner:
        owner.execute(f'GRANT CONNECT ON DATABASE "{database}" TO PUBLIC')
    try:
        with psycopg.connect(_as_login_of(secured_clinic, who, other_clinic)) as conn:
            for table in ("public.payments", "public.bookings", "backoffice.staff_accounts"):
                with pytest.raises(errors.InsufficientPrivilege):
                    conn.execute(f"SELECT count(*) FROM {table}")
                conn.rollback()
    finally:
        with other_clinic.owner() as owner:
            owner.execute(f'REVOKE CONNECT ON DATABASE "{database}" FROM PUBLIC')


def test_connect_on_a_clinic_belongs_to_its_own_groups_and_not_to_public(secured_clinic):
    with secured_clinic.owner() as owner:
        grantees = owner.execute(
            "SELECT coalesce(r.rolname, 'PUBLIC') FROM pg_database d, aclexplode(d.datacl) a "
            "LEFT JOIN pg_roles r ON r.oid = a.grantee "
            "WHERE d.datname = current_database() AND a.privilege_type = 'CONNECT' "
            "AND a.grantee <> d.datdba"
        ).fetchall()
    assert sorted(g for (g,) in grantees) == sorted(secured_clinic.groups.values())
