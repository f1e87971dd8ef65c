"""Disabling a login means now: `backoffice.disable_login` refuses its new connections, takes its
groups away and ends the sessions it has open, so the next statement of a session opened before
fails. `staff disable` (the owner) calls it, and so does deactivating a therapist: a trigger on the
therapist's status history disables every login of theirs, whoever inserted the row.

Ending another login's session needs `pg_signal_backend` (or superuser) for the owner, who owns
the function; without it the function still takes the groups away, so the open session is refused
its next statement by PostgreSQL's privilege checks instead of being ended.
"""

from __future__ import annotations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION backoffice.disable_login(p_login text, p_reason text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_pid integer;
    v_ended integer := 0;
    v_refused boolean := false;
BEGIN
    UPDATE backoffice.staff_accounts
    SET is_active = false, disabled_at = coalesce(disabled_at, clock_timestamp())
    WHERE login_role = p_login;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no staff account %', p_login USING ERRCODE = 'no_data_found';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = p_login) THEN
        EXECUTE format('ALTER ROLE %I NOLOGIN', p_login);
        PERFORM backoffice.leave_groups(p_login);
        FOR v_pid IN
            SELECT a.pid FROM pg_stat_activity a
            WHERE a.usename = p_login AND a.pid <> pg_backend_pid()
        LOOP
            BEGIN
                PERFORM pg_terminate_backend(v_pid);
                v_ended := v_ended + 1;
            EXCEPTION WHEN insufficient_privilege THEN
                v_refused := true;
            END;
        END LOOP;
    END IF;
    INSERT INTO backoffice.audit_events (action, subject_type, subject_id, details)
    VALUES ('staff.disabled', 'staff_account', p_login,
            jsonb_build_object('reason', p_reason, 'sessions_ended', v_ended,
                               'sessions_left_open', v_refused));
    RETURN NOT v_refused;
END
$$;

CREATE OR REPLACE FUNCTION backoffice.therapist_status_changed()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM backoffice.disable_login(
        s.login_role, format('therapist %s deactivated: %s', NEW.therapist_id, NEW.reason))
    FROM backoffice.staff_accounts s
    WHERE s.therapist_id = NEW.therapist_id AND s.role = 'therapist' AND s.is_active;
    RETURN NULL;
END
$$;
"""

FUNCTION_SIGNATURES = (
    "backoffice.disable_login(text, text)",
    "backoffice.therapist_status_changed()",
)

TRIGGER = (
    "CREATE TRIGGER therapist_deactivated AFTER INSERT ON backoffice.therapist_status_changes "
    "FOR EACH ROW WHEN (NOT NEW.is_active) EXECUTE FUNCTION backoffice.therapist_status_changed()"
)


def disabling_statements() -> list[str]:
    """The function (the owner's alone: nobody is granted EXECUTE) and the trigger."""
    statements = [FUNCTIONS]
    statements += [f"REVOKE ALL ON FUNCTION {s} FROM PUBLIC" for s in FUNCTION_SIGNATURES]
    statements.append(
        "DROP TRIGGER IF EXISTS therapist_deactivated ON backoffice.therapist_status_changes"
    )
    statements.append(TRIGGER)
    return statements


__all__ = ["disabling_statements"]
