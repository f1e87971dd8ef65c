"""Row-level security: a therapist reaches only their own caseload, whatever client they use.

Every clinical table gets RLS enabled and FORCED, one permissive policy that keeps the access every
role already had (the clinic's other programs, admins, finance), and one RESTRICTIVE policy for the
therapist group that narrows it to the caseload. Who the therapist is comes from `session_user`
joined to `backoffice.staff_accounts`: nothing a client can SET changes it.
"""

from __future__ import annotations

from backoffice.owner.provisioning.groups import ClinicGroups

# SECURITY DEFINER so that they can read staff_accounts and other therapists' rows that the
# caller cannot; a fixed search_path so that no caller can redirect the names inside them.
FUNCTIONS = """
CREATE OR REPLACE FUNCTION backoffice.session_staff()
RETURNS TABLE (login_role text, role text, display_name text, therapist_id text, user_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT s.login_role::text, s.role::text, s.display_name::text, s.therapist_id::text, s.user_id
    FROM backoffice.staff_accounts s
    WHERE s.login_role = session_user AND s.is_active AND NOT s.must_set_password
$$;

CREATE OR REPLACE FUNCTION backoffice.session_therapist_id()
RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT s.therapist_id::text FROM backoffice.staff_accounts s
    WHERE s.login_role = session_user AND s.is_active AND s.role = 'therapist'
      AND NOT s.must_set_password
$$;

CREATE OR REPLACE FUNCTION backoffice.session_user_id()
RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT s.user_id FROM backoffice.staff_accounts s
    WHERE s.login_role = session_user AND s.is_active AND NOT s.must_set_password
$$;

-- The bookings whose notes the session's therapist may read: their own, and every session of
-- the clients whose history was shared with them at a transfer (a client's sessions are the
-- bookings that name them and the appointments filed under them, as in the transfer itself).
CREATE OR REPLACE FUNCTION backoffice.session_readable_booking_ids()
RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT b.booking_id FROM public.bookings b
    WHERE b.therapist_id = backoffice.session_therapist_id()
    UNION
    SELECT b.booking_id FROM public.bookings b
    JOIN backoffice.shared_note_access s ON s.client_id = b.invitee_id
    WHERE s.therapist_id = backoffice.session_therapist_id() AND b.booking_id IS NOT NULL
    UNION
    SELECT a.session_id::text FROM public.appointment_table a
    JOIN backoffice.shared_note_access s ON s.client_id = a.client_id
    WHERE s.therapist_id = backoffice.session_therapist_id()
$$;
"""

FUNCTION_SIGNATURES = (
    "backoffice.session_staff()",
    "backoffice.session_therapist_id()",
    "backoffice.session_user_id()",
    "backoffice.session_readable_booking_ids()",
)

_MINE = "(SELECT backoffice.session_therapist_id())"
_READABLE = "(SELECT backoffice.session_readable_booking_ids())"

# table -> the rows of it that belong to the session's therapist
CASELOAD: dict[str, str] = {
    "bookings": f"therapist_id = {_MINE}",
    "all_clients_table": f"therapist_id = {_MINE}",
    "appointment_table": f"therapist_id = {_MINE}",
    "client_session_notes": f"booking_id IN {_READABLE}",
    "client_additional_notes": f"therapist_id = {_MINE} OR booking_id IN {_READABLE}",
    "client_doc_form": f"booking_id::text IN {_READABLE}",
    "client_transfer_history": f"{_MINE} IN (from_therapist_id, to_therapist_id)",
    "therapist_dashboard_stats": f"therapist_id = {_MINE}",
    "therapist_clients_summary": f"therapist_id = {_MINE}",
    "therapist_appointments_cache": f"therapist_id = {_MINE}",
    "notifications": "user_id = (SELECT backoffice.session_user_id())",
    # finance and admins only; RLS on so that a future grant cannot leak them to therapists
    "payments": "false",
    "refund_cancellation_table": "false",
    "booking_cancelled": "false",
}
RLS_TABLES = tuple(CASELOAD)


def function_statements(groups: ClinicGroups) -> list[str]:
    statements = [FUNCTIONS]
    for signature in FUNCTION_SIGNATURES:
        statements.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        statements.append(f"GRANT EXECUTE ON FUNCTION {signature} TO {groups.sql_list()}")
    return statements


def policy_statements(groups: ClinicGroups) -> list[str]:
    statements = []
    for table, caseload in CASELOAD.items():
        name = f"public.{table}"
        statements += [
            f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS backoffice_keeps_existing_access ON {name}",
            f"CREATE POLICY backoffice_keeps_existing_access ON {name} USING (true) WITH CHECK (true)",
            f"DROP POLICY IF EXISTS backoffice_therapist_caseload ON {name}",
            f"CREATE POLICY backoffice_therapist_caseload ON {name} AS RESTRICTIVE "
            f"TO {groups.therapist} USING ({caseload}) WITH CHECK ({caseload})",
        ]
    return statements


__all__ = ["RLS_TABLES", "function_statements", "policy_statements"]
