"""Settings an admin chooses, written by the database with who, when and an audit event, whatever
grants on `backoffice.settings` say: what `therapists.sessions_booked` counts (#14 item 5)."""

from __future__ import annotations

from backoffice.owner.provisioning.groups import ClinicGroups
from backoffice.services.therapists import SESSIONS_BOOKED_DEFINITIONS, SESSIONS_BOOKED_SETTING

FUNCTION = """
CREATE OR REPLACE FUNCTION backoffice.choose_sessions_booked_definition(p_definition text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_before jsonb;
BEGIN
    IF p_definition IS NULL OR NOT p_definition = ANY({allowed}) THEN
        RAISE EXCEPTION 'sessions booked cannot count %', p_definition USING ERRCODE = '22023';
    END IF;
    SELECT s.value INTO v_before FROM backoffice.settings s WHERE s.key = '{key}' FOR UPDATE;
    INSERT INTO backoffice.settings AS s (key, value, updated_at, updated_by)
    VALUES ('{key}', to_jsonb(p_definition), clock_timestamp(), session_user)
    ON CONFLICT (key) DO UPDATE
        SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by;
    INSERT INTO backoffice.audit_events (action, subject_type, subject_id, details)
    VALUES ('setting.changed', 'setting', '{key}',
            jsonb_build_object('from', v_before #>> '{}', 'to', p_definition));
END
$$;
"""

SIGNATURE = "backoffice.choose_sessions_booked_definition(text)"


def settings_choice_statements(groups: ClinicGroups) -> list[str]:
    """The function, for this clinic's admins."""
    allowed = ", ".join(f"'{d.key}'" for d in SESSIONS_BOOKED_DEFINITIONS)
    function = FUNCTION.replace("{allowed}", f"ARRAY[{allowed}]").replace(
        "{key}", SESSIONS_BOOKED_SETTING
    )
    return [
        function,
        f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {groups.admin}",
    ]


__all__ = ["settings_choice_statements"]
