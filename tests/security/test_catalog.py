"""What the catalog says about staff logins, row-level security and our SECURITY DEFINER functions."""

from __future__ import annotations

import sqlalchemy as sa

from backoffice.owner.provisioning import provision

CLINICAL_TABLES = (
    "bookings",
    "all_clients_table",
    "appointment_table",
    "client_session_notes",
    "client_additional_notes",
    "client_doc_form",
    "client_transfer_history",
    "therapist_dashboard_stats",
    "therapist_clients_summary",
    "therapist_appointments_cache",
    "notifications",
)

STAFF_LOGINS = """
SELECT r.rolname, r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb
FROM pg_roles r
WHERE r.rolcanlogin AND EXISTS (
    SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
    WHERE m.member = r.oid AND g.rolname LIKE 'backoffice\\_%%')
"""


def test_no_staff_login_is_superuser_bypassrls_createrole_or_createdb(secured_clinic):
    with secured_clinic.owner() as conn:
        logins = conn.execute(STAFF_LOGINS).fetchall()
    assert {row[0] for row in logins} >= set(secured_clinic.logins.values())
    assert [row for row in logins if any(row[1:])] == []


def test_no_staff_login_owns_a_table_or_a_function(secured_clinic):
    with secured_clinic.owner() as conn:
        owned = conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE r.rolname = ANY(%s) UNION ALL "
            "SELECT p.proname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner "
            "WHERE r.rolname = ANY(%s)",
            (list(secured_clinic.logins.values()),) * 2,
        ).fetchall()
    assert owned == []


def test_every_clinical_table_has_row_level_security_enabled_and_forced(secured_clinic):
    with secured_clinic.owner() as conn:
        rows = dict(
            (name, (enabled, forced))
            for name, enabled, forced in conn.execute(
                "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"
            )
        )
    assert {t: rows[t] for t in CLINICAL_TABLES} == {t: (True, True) for t in CLINICAL_TABLES}


def test_security_definer_functions_have_a_fixed_search_path_and_no_public_execute(secured_clinic):
    with secured_clinic.owner() as conn:
        functions = conn.execute(
            "SELECT p.proname, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE') "
            "FROM pg_proc p WHERE p.prosecdef AND p.pronamespace = 'backoffice'::regnamespace"
        ).fetchall()
    assert len(functions) >= 4
    for name, config, public_may_execute in functions:
        assert config and any(c.startswith("search_path=") for c in config), name
        assert not public_may_execute, name


def test_views_in_our_schema_run_with_the_callers_rights(secured_clinic):
    with secured_clinic.owner() as conn:
        views = conn.execute(
            "SELECT c.relname, coalesce(c.reloptions, '{}') FROM pg_class c "
            "WHERE c.relkind = 'v' AND c.relnamespace = 'backoffice'::regnamespace"
        ).fetchall()
    assert [name for name, options in views if "security_invoker=true" not in options] == []


PROVISIONED_CATALOG = """
SELECT 'grant', table_schema || '.' || table_name || ' ' || grantee || ' ' || privilege_type
FROM information_schema.role_table_grants WHERE grantee LIKE 'backoffice\\_%%'
UNION ALL
SELECT 'column', table_schema || '.' || table_name || '.' || column_name || ' ' || grantee || ' ' || privilege_type
FROM information_schema.column_privileges WHERE grantee LIKE 'backoffice\\_%%'
UNION ALL
SELECT 'policy', schemaname || '.' || tablename || ' ' || policyname || ' ' || permissive || ' '
       || array_to_string(roles, ',') || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '')
FROM pg_policies
UNION ALL
SELECT 'rls', relname || ' ' || relrowsecurity::text || ' ' || relforcerowsecurity::text FROM pg_class
WHERE relnamespace IN ('public'::regnamespace, 'backoffice'::regnamespace) AND relkind = 'r'
UNION ALL
SELECT 'function', p.proname || ' ' || md5(pg_get_functiondef(p.oid)) || ' ' || coalesce(p.proacl::text, '')
FROM pg_proc p WHERE p.pronamespace = 'backoffice'::regnamespace
UNION ALL
SELECT 'role', rolname || ' ' || rolcanlogin::text || ' ' || rolsuper::text || ' ' || rolbypassrls::text
FROM pg_roles WHERE rolname LIKE 'backoffice\\_%%'
ORDER BY 1, 2
"""


def test_provisioning_twice_changes_nothing(secured_clinic):
    before = _catalog(secured_clinic)
    engine = sa.create_engine(secured_clinic.owner_url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        provision(conn)
    engine.dispose()
    assert _catalog(secured_clinic) == before
    assert len(before) > 100


def _catalog(clinic):
    with clinic.owner() as conn:
        return conn.execute(PROVISIONED_CATALOG).fetchall()
