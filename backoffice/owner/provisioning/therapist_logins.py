"""The two doors through which an admin (no CREATEROLE, SELECT only on staff accounts) links an approved
therapist to a staff account and gives them a database login.

Both are SECURITY DEFINER functions owned by the database owner, with a fixed search_path, EXECUTE
for the clinic's admin group only. They do one narrow thing each and check every argument themselves: a
staff account they write is always a therapist's, tied to an existing therapist; a login they create
is always a plain member of the clinic's therapist group whose password arrives as a SCRAM verifier computed
on the admin's machine (the clear password never reaches the server).
"""

from __future__ import annotations

from backoffice.owner.provisioning.groups import ClinicGroups

_NAME_PATTERN = "^[a-z_][a-z0-9_]{2,62}$"

FUNCTIONS = """
CREATE OR REPLACE FUNCTION backoffice.link_therapist_staff(
    p_login text, p_therapist_id text, p_display_name text, p_email text, p_user_id integer)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_account backoffice.staff_accounts%ROWTYPE;
    v_id integer;
BEGIN
    IF p_login IS NULL OR p_login !~ '{name_pattern}' THEN
        RAISE EXCEPTION 'invalid login name %', p_login USING ERRCODE = '22023';
    END IF;
    IF p_display_name IS NULL OR btrim(p_display_name) = '' THEN
        RAISE EXCEPTION 'a staff account needs a name' USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.therapists t WHERE t.therapist_id = p_therapist_id) THEN
        RAISE EXCEPTION 'no therapist %', p_therapist_id USING ERRCODE = '23503';
    END IF;
    IF p_user_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM public.users u WHERE u.id = p_user_id AND u.therapist_id = p_therapist_id
    ) THEN
        RAISE EXCEPTION 'user % is not linked to therapist %', p_user_id, p_therapist_id
            USING ERRCODE = '23503';
    END IF;
    SELECT * INTO v_account FROM backoffice.staff_accounts s WHERE s.login_role = p_login FOR UPDATE;
    IF FOUND THEN
        IF v_account.role <> 'therapist' OR v_account.therapist_id IS DISTINCT FROM p_therapist_id THEN
            RAISE EXCEPTION 'login % belongs to another staff account', p_login
                USING ERRCODE = '23505';
        END IF;
        UPDATE backoffice.staff_accounts
        SET display_name = p_display_name, email = p_email, user_id = p_user_id
        WHERE id = v_account.id;
        RETURN v_account.id;
    END IF;
    -- An existing database role that is nobody's staff account is not ours to hand out.
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = p_login) THEN
        RAISE EXCEPTION 'a database role named % exists already', p_login USING ERRCODE = '23505';
    END IF;
    INSERT INTO backoffice.staff_accounts (login_role, role, display_name, email, user_id, therapist_id)
    VALUES (p_login, 'therapist', p_display_name, p_email, p_user_id, p_therapist_id)
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION backoffice.create_therapist_login(p_login text, p_verifier text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_login IS NULL OR p_login !~ '{name_pattern}' THEN
        RAISE EXCEPTION 'invalid login name %', p_login USING ERRCODE = '22023';
    END IF;
    IF p_verifier IS NULL OR p_verifier !~ '^SCRAM-SHA-256\\$[0-9]+:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
        RAISE EXCEPTION 'the password must arrive as a SCRAM-SHA-256 verifier' USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM backoffice.staff_accounts s
        WHERE s.login_role = p_login AND s.role = 'therapist' AND s.is_active
          AND s.therapist_id IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'no active therapist staff account %', p_login USING ERRCODE = '23503';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = p_login) THEN
        RAISE EXCEPTION 'a database role named % exists already', p_login USING ERRCODE = '42710';
    END IF;
    EXECUTE format(
        'CREATE ROLE %I LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS '
        'NOREPLICATION PASSWORD %L IN ROLE {therapist_group}', p_login, p_verifier);
END
$$;
"""

FUNCTION_SIGNATURES = (
    "backoffice.link_therapist_staff(text, text, text, text, integer)",
    "backoffice.create_therapist_login(text, text)",
)


def therapist_login_statements(groups: ClinicGroups) -> list[str]:
    """Create (or replace) both functions; only this clinic's admins may execute them."""
    functions = FUNCTIONS.replace("{name_pattern}", _NAME_PATTERN)
    statements = [functions.replace("{therapist_group}", groups.therapist)]
    for signature in FUNCTION_SIGNATURES:
        statements.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        statements.append(f"GRANT EXECUTE ON FUNCTION {signature} TO {groups.admin}")
    return statements


__all__ = ["FUNCTION_SIGNATURES", "therapist_login_statements"]
