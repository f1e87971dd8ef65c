"""The one door through which the back-office touches the website's logins (`public.users`).

Website logins belong to the booking website: admins may not rename them, set their passwords or
insert one with a password of their own (the access matrix grants none of that). Approving a
therapist still needs their website user, so `backoffice.therapist_website_user` finds it (by the
therapist's email, else their linked user) and links it, or creates it with a password no login
can match, and writes an audit event either way. It never renames a user, never touches a
password it did not set, and never takes a user that belongs to another therapist or role.
"""

from __future__ import annotations

from backoffice.owner.provisioning.groups import ClinicGroups
from backoffice.services.clock import CLINIC_NOW_SQL
from backoffice.services.login import NO_DASHBOARD_PASSWORD

FUNCTION = """
CREATE OR REPLACE FUNCTION backoffice.therapist_website_user(
    p_therapist_id text, p_email text, p_name text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_user record;
    v_id integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.therapists t WHERE t.therapist_id = p_therapist_id) THEN
        RAISE EXCEPTION 'There is no therapist with the id %.', p_therapist_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT u.id, u.role, u.therapist_id INTO v_user FROM public.users u
    WHERE nullif(btrim(p_email), '') IS NOT NULL AND lower(btrim(u.username)) = lower(btrim(p_email))
    ORDER BY u.id LIMIT 1 FOR UPDATE;
    IF v_user.id IS NULL THEN
        SELECT u.id, u.role, u.therapist_id INTO v_user FROM public.users u
        WHERE u.therapist_id = p_therapist_id AND u.role = 'therapist'
        ORDER BY u.id LIMIT 1 FOR UPDATE;
    END IF;
    IF v_user.id IS NULL THEN
        INSERT INTO public.users (username, password, name, full_name, role, therapist_id)
        VALUES (coalesce(nullif(btrim(p_email), ''), 'therapist-' || p_therapist_id),
                '{unusable}', p_name, p_name, 'therapist', p_therapist_id)
        RETURNING id INTO v_id;
        PERFORM backoffice.website_user_event(v_id, 'website_user.created', p_therapist_id);
        RETURN v_id;
    END IF;
    IF v_user.therapist_id IS DISTINCT FROM p_therapist_id AND v_user.therapist_id IS NOT NULL THEN
        RAISE EXCEPTION 'The dashboard user % already belongs to another therapist.', v_user.id
            USING ERRCODE = 'unique_violation';
    END IF;
    IF v_user.therapist_id IS NULL AND v_user.role IS DISTINCT FROM 'therapist' THEN
        RAISE EXCEPTION 'The dashboard user named % exists with the role %; it cannot become a therapist''s login.',
            p_email, coalesce(v_user.role, 'none') USING ERRCODE = 'unique_violation';
    END IF;
    UPDATE public.users u
    SET name = p_name, full_name = p_name, role = 'therapist', therapist_id = p_therapist_id,
        updated_at = {now}
    WHERE u.id = v_user.id;
    IF v_user.therapist_id IS NULL THEN
        PERFORM backoffice.website_user_event(v_user.id, 'website_user.linked', p_therapist_id);
    END IF;
    RETURN v_user.id;
END
$$;

CREATE OR REPLACE FUNCTION backoffice.website_user_event(
    p_user_id integer, p_action text, p_therapist_id text)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    INSERT INTO backoffice.audit_events (action, subject_type, subject_id, details)
    SELECT p_action, 'website_user', p_user_id::text,
           jsonb_build_object('username', u.username, 'therapist_id', p_therapist_id,
                              'password', CASE WHEN u.password = '{unusable}'
                                               THEN 'unusable' ELSE 'the website''s own' END)
    FROM public.users u WHERE u.id = p_user_id
$$;
"""

FUNCTION_SIGNATURES = (
    "backoffice.therapist_website_user(text, text, text)",
    "backoffice.website_user_event(integer, text, text)",
)


def website_user_statements(groups: ClinicGroups) -> list[str]:
    """The function, for this clinic's admins only (its helper for nobody)."""
    function = FUNCTION.replace("{unusable}", NO_DASHBOARD_PASSWORD).replace(
        "{now}", CLINIC_NOW_SQL
    )
    statements = [function]
    statements += [f"REVOKE ALL ON FUNCTION {s} FROM PUBLIC" for s in FUNCTION_SIGNATURES]
    statements.append(f"GRANT EXECUTE ON FUNCTION {FUNCTION_SIGNATURES[0]} TO {groups.admin}")
    return statements


__all__ = ["website_user_statements"]
