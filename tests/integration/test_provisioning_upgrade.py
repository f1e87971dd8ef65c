"""`db upgrade` and `db provision` on a demo clinic full of data that an older version set up: from
the released revision 0003, from the revision before ours, and from the server-wide groups of old."""

from __future__ import annotations

import contextlib

import psycopg
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from backoffice import migrations
from backoffice.cli import main
from backoffice.owner.provisioning import access_matrix, provision
from backoffice.owner.provisioning.groups import LEGACY_GROUPS, ClinicGroups
from backoffice.owner.provisioning.row_security import function_statements, policy_statements
from tests.conftest import DEMO_PASSWORDS
from tests.pg import libpq_conninfo
from tests.security.test_catalog import PROVISIONED_CATALOG

OURS = "0005_people_and_clinics"
DEMO_LOGINS = sorted(DEMO_PASSWORDS)


def _revision_before_ours() -> str:
    script = ScriptDirectory.from_config(migrations.alembic_config())
    previous = script.get_revision(OURS).down_revision
    assert isinstance(previous, str)
    return previous


def _owner(db) -> psycopg.Connection:
    return psycopg.connect(libpq_conninfo(db.owner_url), autocommit=True)


def _catalog(db) -> list[tuple[str, str]]:
    with _owner(db) as conn:
        return conn.execute(PROVISIONED_CATALOG).fetchall()


def _counts(db) -> tuple[int, ...]:
    with _owner(db) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM bookings), (SELECT count(*) FROM payments), "
            "(SELECT count(*) FROM backoffice.audit_events), "
            "(SELECT count(*) FROM backoffice.staff_accounts)"
        ).fetchone()
    assert row is not None
    return tuple(row)


def _demo_login_reads(db, login: str) -> int:
    url = db.login_url(login, DEMO_PASSWORDS[login])
    with psycopg.connect(libpq_conninfo(url)) as conn:
        row = conn.execute("SELECT count(*) FROM bookings").fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize("start", sorted({"0003_refund_rules", _revision_before_ours()}))
def test_db_upgrade_then_provision_twice_on_the_demo_clinic(demo_clone, capsys, start):
    url = demo_clone.owner_url.render_as_string(hide_password=False)
    engine = sa.create_engine(demo_clone.owner_url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), start)
    engine.dispose()
    before = _counts(demo_clone)

    assert main(["db", "upgrade", "--url", url]) == 0
    assert main(["db", "provision", "--url", url]) == 0
    first = _catalog(demo_clone)
    assert main(["db", "provision", "--url", url]) == 0

    assert _catalog(demo_clone) == first
    assert _counts(demo_clone) == before
    out = capsys.readouterr().out
    assert f"is now at revision {migrations.head_revision()} (was {start})" in out
    assert _demo_login_reads(demo_clone, "demo_admin") == before[0]
    assert 0 < _demo_login_reads(demo_clone, "demo_therapist") < before[0]


def _make_legacy(db) -> None:
    """What a clinic provisioned before groups were per database looks like: the access matrix
    granted to the server-wide groups, the staff logins in them, CONNECT for everybody."""
    legacy = ClinicGroups(**LEGACY_GROUPS, pending=LEGACY_GROUPS["therapist"])
    engine = sa.create_engine(db.owner_url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        for name in LEGACY_GROUPS.values():
            if not conn.scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}):
                conn.execute(sa.text(f"CREATE ROLE {name} NOLOGIN"))
        conn.execute(sa.text(f"GRANT USAGE ON SCHEMA public, backoffice TO {legacy.sql_list()}"))
        for kind, table, privileges in access_matrix.GRANTS:
            target = access_matrix.qualified(table)
            conn.execute(sa.text(f"GRANT {privileges} ON {target} TO {legacy.of(kind)}"))
        for statement in function_statements(legacy) + policy_statements(legacy):
            conn.execute(sa.text(statement))
        for login, role in conn.execute(
            sa.text("SELECT login_role, role FROM backoffice.staff_accounts")
        ):
            conn.execute(sa.text(f"GRANT {legacy.of(role)} TO {login}"))
        conn.execute(sa.text("DELETE FROM backoffice.group_roles"))
        conn.execute(sa.text(f'GRANT CONNECT ON DATABASE "{db.owner_url.database}" TO PUBLIC'))
    engine.dispose()


_LEGACY_LEFTOVERS = """
SELECT 'grant ' || table_schema || '.' || table_name FROM information_schema.role_table_grants
WHERE grantee = ANY(%(legacy)s)
UNION ALL SELECT 'policy ' || policyname FROM pg_policies WHERE roles && %(legacy)s::name[]
UNION ALL SELECT 'member ' || m.member::regrole || ' of ' || m.roleid::regrole
FROM pg_auth_members m JOIN backoffice.staff_accounts s ON s.login_role = m.member::regrole::text
WHERE m.roleid::regrole::text = ANY(%(legacy)s)
UNION ALL SELECT 'connect ' || coalesce(a.grantee::regrole::text, 'PUBLIC')
FROM pg_database d, aclexplode(d.datacl) a
WHERE d.datname = current_database() AND a.privilege_type = 'CONNECT'
  AND (a.grantee = 0 OR a.grantee::regrole::text = ANY(%(legacy)s))
"""


def test_provision_moves_a_clinic_off_the_server_wide_groups_of_old(demo_clone):
    _make_legacy(demo_clone)
    engine = sa.create_engine(demo_clone.owner_url, poolclass=sa.NullPool, hide_parameters=True)
    try:
        with engine.begin() as conn:
            report = provision(conn)
        with engine.begin() as conn:
            again = provision(conn)
        with _owner(demo_clone) as owner:
            leftovers = owner.execute(
                _LEGACY_LEFTOVERS, {"legacy": list(LEGACY_GROUPS.values())}
            ).fetchall()
            members = owner.execute(
                "SELECT DISTINCT m.member::regrole::text FROM pg_auth_members m "
                "WHERE m.roleid::regrole::text = ANY(%s) ORDER BY 1",
                (list(report.groups.staff),),
            ).fetchall()
    finally:
        engine.dispose()
        _drop_legacy_groups(demo_clone)
    assert leftovers == []
    assert [m for (m,) in members] == DEMO_LOGINS
    assert any("moved from the server-wide groups" in note for note in report.notes)
    assert again.groups == report.groups
    assert not any("moved" in note for note in again.notes)
    assert _demo_login_reads(demo_clone, "demo_admin") > 0


def _drop_legacy_groups(db) -> None:
    with _owner(db) as conn:
        for name in LEGACY_GROUPS.values():
            with contextlib.suppress(psycopg.errors.DependentObjectsStillExist):
                conn.execute(f"DROP ROLE IF EXISTS {name}")


def test_a_copy_of_a_clinic_database_gets_groups_of_its_own(demo_clone, demo_template):
    original = [demo_clone.group(kind) for kind in ("admin", "finance", "therapist")]
    engine = sa.create_engine(demo_clone.owner_url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        report = provision(conn)
    engine.dispose()
    with _owner(demo_clone) as owner:
        held = owner.execute(
            "SELECT DISTINCT grantee FROM information_schema.role_table_grants "
            "WHERE grantee = ANY(%s)",
            (original,),
        ).fetchall()
    assert set(report.groups.staff).isdisjoint(original)
    assert any(demo_template in note for note in report.notes)
    assert held == []
    assert _demo_login_reads(demo_clone, "demo_admin") > 0
