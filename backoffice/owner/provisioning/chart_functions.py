"""The client chart's doors: a client's sessions as the login may see them, and the one way a
therapist writes an additional note. SECURITY DEFINER, fixed search_path, EXECUTE for the groups
named in `EXECUTE` only (finance none).

- `client_sessions(client_ids)`: the sessions of these clients with their note's metadata (never
  its content), the therapist who held each, and whether the note is due. An admin sees every
  session; a therapist the sessions whose notes they may read (`session_readable_booking_ids`:
  their own, and every session of a client whose history was shared with them at a transfer).
  Row security hides the earlier bookings of a shared client, which belong to the previous
  therapist; this function is what lets the receiving therapist see their dates, and nothing more.
- `client_of_booking(booking_id)`: the client a session belongs to, for a login that may read it.
- `add_additional_note(booking_id, text)`: a note on one of the calling therapist's own sessions,
  with their own therapist id and name and the clinic's time; the text trimmed, not empty, at most
  `ADDITIONAL_NOTE_MAX_CHARS`. Therapists hold no INSERT on the table: this is the only door.
"""

from __future__ import annotations

from backoffice.owner.provisioning.access_matrix import ADMIN, THERAPIST
from backoffice.owner.provisioning.groups import ClinicGroups
from backoffice.services.chart import ADDITIONAL_NOTE_MAX_CHARS
from backoffice.services.clock import AT_CLINIC_ZONE

# The sessions the login may see among `p_booking_ids`: every one for an admin.
_VISIBLE = """
    (EXISTS (SELECT 1 FROM backoffice.session_staff() s WHERE s.role = 'admin')
     OR {column} IN (SELECT backoffice.session_readable_booking_ids()))
"""

_SESSIONS = f"""
CREATE OR REPLACE FUNCTION backoffice.client_sessions(p_client_ids text[])
RETURNS TABLE (client_id text, client_name text, booking_id text, starts_at timestamp,
               ends_at timestamp,
               status text, mode text, therapist_id text, therapist_name text, note_id integer,
               note_written_at timestamp, risk_level text, self_harm_mention text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    WITH client_bookings AS (
        SELECT b.booking_id, b.invitee_id AS client_id FROM public.bookings b
        WHERE b.invitee_id = ANY(p_client_ids) AND b.booking_id IS NOT NULL
        UNION
        SELECT a.session_id::text, a.client_id::text FROM public.appointment_table a
        WHERE a.client_id = ANY(p_client_ids)
    )
    SELECT DISTINCT ON (b.booking_id)
           cb.client_id, coalesce(b.invitee_name, a.client_name)::text, b.booking_id,
           b.booking_start_at,
           coalesce(b.booking_end_at, b.booking_start_at
                    + make_interval(mins => coalesce(b.booking_duration, 0))),
           b.booking_status, coalesce(b.booking_mode, a.session_mode)::text,
           b.therapist_id, coalesce(t.name, b.booking_host_name)::text,
           n.note_id, n.created_at, n.current_risk_level, n.self_harm_mention
    FROM client_bookings cb
    JOIN public.bookings b ON b.booking_id = cb.booking_id
    LEFT JOIN public.appointment_table a ON a.session_id = b.booking_id
    LEFT JOIN public.therapists t ON t.therapist_id = b.therapist_id
    LEFT JOIN LATERAL (
        SELECT n.note_id, n.created_at, n.current_risk_level, n.self_harm_mention
        FROM public.client_session_notes n WHERE n.booking_id = b.booking_id
        ORDER BY n.note_id DESC LIMIT 1
    ) n ON true
    WHERE {_VISIBLE.format(column="b.booking_id")}
    ORDER BY b.booking_id, cb.client_id
$$;
"""

_CLIENT_OF_BOOKING = f"""
CREATE OR REPLACE FUNCTION backoffice.client_of_booking(p_booking_id text)
RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(
        (SELECT a.client_id::text FROM public.appointment_table a WHERE a.session_id = p_booking_id),
        (SELECT b.invitee_id FROM public.bookings b WHERE b.booking_id = p_booking_id))
    WHERE {_VISIBLE.format(column="p_booking_id")}
$$;
"""

_ADD_NOTE = f"""
CREATE OR REPLACE FUNCTION backoffice.add_additional_note(p_booking_id text, p_text text)
RETURNS TABLE (note_id integer, created_at timestamp)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_therapist text := backoffice.session_therapist_id();
    v_text text := btrim(coalesce(p_text, ''), E' \\t\\r\\n');
    v_at timestamp := clock_timestamp() {AT_CLINIC_ZONE};
    v_name text;
    v_id integer;
BEGIN
    IF v_therapist IS NULL THEN
        RAISE EXCEPTION 'Only a therapist writes additional notes, on their own sessions.'
            USING ERRCODE = '42501';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.bookings b
                   WHERE b.booking_id = p_booking_id AND b.therapist_id = v_therapist) THEN
        RAISE EXCEPTION 'Session % is not one of yours, so you cannot add a note to it.', p_booking_id
            USING ERRCODE = '42501';
    END IF;
    IF v_text = '' THEN
        RAISE EXCEPTION 'The additional note is empty: write something first.'
            USING ERRCODE = '22023';
    END IF;
    IF char_length(v_text) > {ADDITIONAL_NOTE_MAX_CHARS} THEN
        RAISE EXCEPTION 'The additional note is too long: at most {ADDITIONAL_NOTE_MAX_CHARS} characters, this one has %.', char_length(v_text)
            USING ERRCODE = '22001';
    END IF;
    SELECT t.name INTO v_name FROM public.therapists t WHERE t.therapist_id = v_therapist;
    INSERT INTO public.client_additional_notes AS c
        (booking_id, therapist_id, therapist_name, note_text, created_at, updated_at)
    VALUES (p_booking_id, v_therapist, v_name, v_text, v_at, v_at)
    RETURNING c.note_id INTO v_id;
    INSERT INTO backoffice.audit_events (action, subject_type, subject_id, details)
    VALUES ('additional_note.added', 'additional_note', v_id::text,
            jsonb_build_object('booking_id', p_booking_id, 'characters', char_length(v_text)));
    RETURN QUERY SELECT v_id, v_at;
END
$$;
"""

# signature -> the kinds of staff whose clinic groups may execute it
EXECUTE = {
    "backoffice.client_sessions(text[])": (ADMIN, THERAPIST),
    "backoffice.client_of_booking(text)": (ADMIN, THERAPIST),
    "backoffice.add_additional_note(text, text)": (THERAPIST,),
}


def chart_function_statements(groups: ClinicGroups) -> list[str]:
    """Create (or replace) the functions; EXECUTE for the groups named, nobody else."""
    statements = [_SESSIONS, _CLIENT_OF_BOOKING, _ADD_NOTE]
    for signature, kinds in EXECUTE.items():
        names = ", ".join(groups.of(kind) for kind in kinds)
        statements.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        statements.append(f"GRANT EXECUTE ON FUNCTION {signature} TO {names}")
    return statements


__all__ = ["chart_function_statements"]
