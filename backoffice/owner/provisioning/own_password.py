"""A login sets its own password, and only its own: `backoffice.set_own_password(verifier)` has no
argument naming whose password it is; it acts on `session_user`, and only while that login is
waiting for its own password (an admin made it, with a temporary one). It then moves the login from
the clinic's pending group into the group of its staff account, records the first use and tells
the therapist on their dashboard, so that an admin who used the temporary password first is seen.

Also the helpers the login functions share (nobody may call them): the SCRAM-verifier check,
leaving the clinic's groups, the audit event of a login, the therapist's notification.
"""

from __future__ import annotations

from backoffice.owner.provisioning.groups import ClinicGroups
from backoffice.services.clock import AT_CLINIC_ZONE

_SCRAM = "^SCRAM-SHA-256\\$[0-9]+:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$"

HELPERS = """
CREATE OR REPLACE FUNCTION backoffice.check_verifier(p_verifier text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_verifier IS NULL OR p_verifier !~ '{scram}' THEN
        RAISE EXCEPTION 'the password must arrive as a SCRAM-SHA-256 verifier' USING ERRCODE = '22023';
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION backoffice.leave_groups(p_login text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_group text;
BEGIN
    FOR v_group IN
        SELECT m.roleid::regrole::text FROM pg_auth_members m
        WHERE m.member = (SELECT r.oid FROM pg_roles r WHERE r.rolname = p_login)
          AND m.roleid::regrole::text = ANY({groups})
    LOOP
        EXECUTE format('REVOKE %I FROM %I', v_group, p_login);
    END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION backoffice.login_event(p_login text, p_action text, p_details jsonb)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    INSERT INTO backoffice.audit_events (action, subject_type, subject_id, details)
    VALUES (p_action, 'staff_account', p_login,
            p_details || jsonb_build_object('client_addr', inet_client_addr()::text))
$$;

CREATE OR REPLACE FUNCTION backoffice.tell_therapist(
    p_therapist_id text, p_login text, p_kind text, p_title text, p_message text)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    INSERT INTO public.notifications (user_id, user_role, notification_type, title, message, related_id)
    SELECT u.id, 'therapist', p_kind, p_title, p_message, left(p_login, 50)
    FROM public.users u WHERE u.therapist_id = p_therapist_id AND u.role = 'therapist'
$$;
"""

HELPER_SIGNATURES = (
    "backoffice.check_verifier(text)",
    "backoffice.leave_groups(text)",
    "backoffice.login_event(text, text, jsonb)",
    "backoffice.tell_therapist(text, text, text, text, text)",
)

OWN_PASSWORD = """
CREATE OR REPLACE FUNCTION backoffice.session_must_set_password()
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM backoffice.staff_accounts s
                   WHERE s.login_role = session_user AND s.is_active AND s.must_set_password)
$$;

CREATE OR REPLACE FUNCTION backoffice.set_own_password(p_verifier text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_account backoffice.staff_accounts%ROWTYPE;
BEGIN
    PERFORM backoffice.check_verifier(p_verifier);
    SELECT * INTO v_account FROM backoffice.staff_accounts s
    WHERE s.login_role = session_user AND s.is_active AND s.must_set_password FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'only a login waiting for its own password may set it here'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L VALID UNTIL %L', session_user, p_verifier, 'infinity');
    PERFORM backoffice.leave_groups(session_user);
    EXECUTE format('GRANT %I TO %I',
        CASE v_account.role WHEN 'admin' THEN '{admin}' WHEN 'finance' THEN '{finance}'
                            ELSE '{therapist}' END, session_user);
    UPDATE backoffice.staff_accounts SET must_set_password = false, password_set_at = clock_timestamp()
    WHERE id = v_account.id;
    PERFORM backoffice.login_event(session_user, 'staff.password_set', '{}'::jsonb);
    PERFORM backoffice.tell_therapist(v_account.therapist_id, session_user,
        'backoffice_password_set', 'Your back-office password was set',
        format('The password of your back-office login %s was set on %s. If this was not you, '
               'tell the clinic at once.', session_user,
               to_char(clock_timestamp() {at_zone}, 'YYYY-MM-DD HH24:MI')));
END
$$;
"""

OWN_PASSWORD_SIGNATURES = (
    "backoffice.session_must_set_password()",
    "backoffice.set_own_password(text)",
)


def _filled(sql: str, groups: ClinicGroups) -> str:
    names = ", ".join(f"'{name}'" for name in groups.all)
    for key, value in {
        "{scram}": _SCRAM,
        "{groups}": f"ARRAY[{names}]",
        "{admin}": groups.admin,
        "{finance}": groups.finance,
        "{therapist}": groups.therapist,
        "{at_zone}": AT_CLINIC_ZONE,
    }.items():
        sql = sql.replace(key, value)
    return sql


def helper_statements(groups: ClinicGroups) -> list[str]:
    """The shared helpers: the owner's alone."""
    statements = [_filled(HELPERS, groups)]
    return statements + [f"REVOKE ALL ON FUNCTION {s} FROM PUBLIC" for s in HELPER_SIGNATURES]


def own_password_statements(groups: ClinicGroups) -> list[str]:
    """The password change, for the clinic's pending group only."""
    statements = [_filled(OWN_PASSWORD, groups)]
    for signature in OWN_PASSWORD_SIGNATURES:
        statements.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        statements.append(f"GRANT EXECUTE ON FUNCTION {signature} TO {groups.pending}")
    return statements


__all__ = ["helper_statements", "own_password_statements"]
