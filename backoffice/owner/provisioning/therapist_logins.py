"""The two doors through which an admin (no CREATEROLE, SELECT only on staff accounts) links an
approved therapist to a staff account and gives them a database login.

Both are SECURITY DEFINER functions owned by the database owner, with a fixed search_path, EXECUTE
for the clinic's admin group only. They do one narrow thing each and check every argument
themselves: a staff account they write is always a therapist's, tied to an existing therapist.

The admin chooses the login's first password, so it must not become a working therapist password
in the admin's hands: the login is made a member of the clinic's *pending* group only, which may do
nothing but `backoffice.set_own_password` (`own_password`), and the password expires after
TEMPORARY_PASSWORD_HOURS. Its making is audited and the therapist is told on their dashboard; so is
the first use. An admin may issue a new temporary password to a login still waiting for its own,
or to a disabled login of an active therapist (after a reactivation), never to a login in use.
"""

from __future__ import annotations

from backoffice.owner.provisioning import own_password
from backoffice.owner.provisioning.groups import ClinicGroups
from backoffice.services.login import TEMPORARY_PASSWORD_HOURS

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
DECLARE
    v_account backoffice.staff_accounts%ROWTYPE;
    v_until timestamptz := clock_timestamp() + interval '{hours} hours';
BEGIN
    IF p_login IS NULL OR p_login !~ '{name_pattern}' THEN
        RAISE EXCEPTION 'invalid login name %', p_login USING ERRCODE = '22023';
    END IF;
    PERFORM backoffice.check_verifier(p_verifier);
    SELECT * INTO v_account FROM backoffice.staff_accounts s
    WHERE s.login_role = p_login AND s.role = 'therapist' AND s.therapist_id IS NOT NULL
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no therapist staff account %', p_login USING ERRCODE = '23503';
    END IF;
    IF (SELECT c.is_active FROM backoffice.therapist_status_changes c
        WHERE c.therapist_id = v_account.therapist_id ORDER BY c.id DESC LIMIT 1) IS FALSE THEN
        RAISE EXCEPTION 'therapist % is deactivated', v_account.therapist_id USING ERRCODE = '55000';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = p_login) THEN
        -- A login whose owner chose their password is theirs: no admin resets it.
        IF v_account.is_active AND NOT v_account.must_set_password THEN
            RAISE EXCEPTION 'a database role named % exists already', p_login USING ERRCODE = '42710';
        END IF;
        EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L VALID UNTIL %L', p_login, p_verifier, v_until);
        PERFORM backoffice.leave_groups(p_login);
        EXECUTE format('GRANT {pending_group} TO %I', p_login);
    ELSE
        EXECUTE format(
            'CREATE ROLE %I LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS '
            'NOREPLICATION PASSWORD %L VALID UNTIL %L IN ROLE {pending_group}',
            p_login, p_verifier, v_until);
    END IF;
    UPDATE backoffice.staff_accounts
    SET is_active = true, disabled_at = NULL, must_set_password = true, password_set_at = NULL
    WHERE id = v_account.id;
    PERFORM backoffice.login_event(p_login, 'staff.temporary_password',
        jsonb_build_object('therapist_id', v_account.therapist_id, 'valid_until', v_until));
    PERFORM backoffice.tell_therapist(v_account.therapist_id, p_login, 'backoffice_login_created',
        'A back-office login was made for you',
        format('%s made the back-office login %s for you. Its first password is temporary, '
               'valid for {hours} hours: you choose your own when you first log in. If you did '
               'not expect this, tell the clinic.', session_user, p_login));
END
$$;
"""

FUNCTION_SIGNATURES = (
    "backoffice.link_therapist_staff(text, text, text, text, integer)",
    "backoffice.create_therapist_login(text, text)",
)


def therapist_login_statements(groups: ClinicGroups) -> list[str]:
    """The helpers (nobody's to call), then both doors (this clinic's admins only)."""
    functions = (
        FUNCTIONS.replace("{name_pattern}", _NAME_PATTERN)
        .replace("{pending_group}", groups.pending)
        .replace("{hours}", str(TEMPORARY_PASSWORD_HOURS))
    )
    statements = [*own_password.helper_statements(groups), functions]
    for signature in FUNCTION_SIGNATURES:
        statements.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        statements.append(f"GRANT EXECUTE ON FUNCTION {signature} TO {groups.admin}")
    return statements + own_password.own_password_statements(groups)


__all__ = ["FUNCTION_SIGNATURES", "therapist_login_statements"]
