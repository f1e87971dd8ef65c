"""Reading a session note's content: on record first, then read, against raw SQL too.

The staff groups may read a note's metadata columns (`access_matrix.NOTE_METADATA`) but none of its
content. The content comes through two SECURITY DEFINER functions, in two transactions:

1. `record_note_opening(note_ids, purpose)` checks that this login may read every note named (an
   admin any note; a therapist the notes of their caseload and of the histories shared with them),
   writes one `note_openings` row per note under one batch id and one audit event, and returns the
   batch. The caller commits it.
2. `read_opened_notes(batch)` returns the content of that batch's notes to the login that opened
   them, within `OPENING_LIFETIME`, and only in a transaction that has written nothing: a row this
   transaction did not write and can see was committed by another one, so the record exists
   whatever happens to the reading transaction. An opening in the same transaction (or a savepoint
   of it) unlocks nothing.

A bulk read (a caseload taken offline) is one batch: one audit event listing the notes,
"caseload.checked_out" for a checkout ("notes.opened" for any other bulk read). Its
reading transaction must start after the batch committed (a REPEATABLE READ snapshot taken earlier
would not see it). An opening for the risk phrases the scan found (purpose 'phrases', read through
`risk_phrases`) or a batch of the scan itself (purpose 'scan', `risk_scan`) unlocks no content here.
"""

from __future__ import annotations

from backoffice.owner.provisioning.access_matrix import ADMIN, THERAPIST
from backoffice.owner.provisioning.groups import ClinicGroups

OPENING_LIFETIME = "5 minutes"

# The notes of `p_note_ids` that the session's login may read; owner-only, used by the two below.
_READABLE = """
CREATE OR REPLACE FUNCTION backoffice.readable_note_ids(p_note_ids integer[])
RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT n.note_id FROM public.client_session_notes n
    WHERE n.note_id = ANY(p_note_ids)
      AND (EXISTS (SELECT 1 FROM backoffice.session_staff() s WHERE s.role = 'admin')
           OR n.booking_id IN (SELECT backoffice.session_readable_booking_ids()))
$$;
"""

_RECORD = """
CREATE OR REPLACE FUNCTION backoffice.record_note_opening(
    p_note_ids integer[], p_purpose text DEFAULT 'read')
RETURNS TABLE (batch_id bigint, opened_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_ids integer[];
    v_missing integer;
    v_batch bigint;
    v_at timestamptz := clock_timestamp();
BEGIN
    IF NOT EXISTS (SELECT 1 FROM backoffice.session_staff() s
                   WHERE s.role IN ('admin', 'therapist')) THEN
        RAISE EXCEPTION 'Only admins and therapists open session notes.' USING ERRCODE = '42501';
    END IF;
    IF p_purpose IS NULL OR p_purpose NOT IN ('read', 'checkout', 'phrases') THEN
        RAISE EXCEPTION 'An opening is for reading, a checkout or risk phrases, not %.', p_purpose
            USING ERRCODE = '22023';
    END IF;
    SELECT array_agg(DISTINCT i ORDER BY i) INTO v_ids FROM unnest(p_note_ids) AS i
    WHERE i IS NOT NULL;
    IF v_ids IS NULL THEN
        RAISE EXCEPTION 'Name at least one session note to open.' USING ERRCODE = '22023';
    END IF;
    SELECT min(i) INTO v_missing FROM unnest(v_ids) AS i
    WHERE i NOT IN (SELECT backoffice.readable_note_ids(v_ids));
    IF v_missing IS NOT NULL THEN
        RAISE EXCEPTION 'There is no session note % that you may read.', v_missing
            USING ERRCODE = 'P0002';
    END IF;
    v_batch := nextval(pg_get_serial_sequence('backoffice.note_openings', 'id'));
    INSERT INTO backoffice.note_openings (note_id, batch_id, purpose, opened_at)
    SELECT i, v_batch, p_purpose, v_at FROM unnest(v_ids) AS i;
    IF p_purpose = 'checkout' THEN
        INSERT INTO backoffice.audit_events (action, subject_type, subject_id, details)
        VALUES ('caseload.checked_out', 'note_opening', v_batch::text,
                jsonb_build_object('batch_id', v_batch, 'purpose', p_purpose,
                                   'notes', cardinality(v_ids), 'note_ids', to_jsonb(v_ids)));
    ELSIF cardinality(v_ids) = 1 THEN
        INSERT INTO backoffice.audit_events (action, subject_type, subject_id, details)
        VALUES ('note.opened', 'session_note', v_ids[1]::text,
                jsonb_build_object('batch_id', v_batch, 'purpose', p_purpose));
    ELSE
        INSERT INTO backoffice.audit_events (action, subject_type, subject_id, details)
        VALUES ('notes.opened', 'note_opening', v_batch::text,
                jsonb_build_object('batch_id', v_batch, 'purpose', p_purpose,
                                   'notes', cardinality(v_ids), 'note_ids', to_jsonb(v_ids)));
    END IF;
    RETURN QUERY SELECT v_batch, v_at;
END
$$;
"""

_CONTENT_COLUMNS = """
    note_id integer, booking_id text, client_id text, therapist_id text, therapist_name text,
    session_at timestamp, opened_at timestamptz, client_name text, session_timing text,
    host_name text, session_status text, client_age integer, gender text, occupation text,
    marital_status text, concerns_discussed text, somatic_cues text[], interventions_used text,
    interventions_helpful text, client_participation text, goal_progress text,
    client_values text, self_harm_mention text, self_harm_details text,
    current_risk_level text, protective_factors text, health_history text, past_diagnoses text,
    next_session_plan text, homework_suggested text, created_at timestamp, updated_at timestamp
"""

_READ = f"""
CREATE OR REPLACE FUNCTION backoffice.read_opened_notes(p_batch_id bigint)
RETURNS TABLE ({_CONTENT_COLUMNS})
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_ids integer[];
BEGIN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'Note content is read only in a transaction that has written nothing, after its opening was committed.'
            USING ERRCODE = '55000';
    END IF;
    SELECT array_agg(o.note_id) INTO v_ids FROM backoffice.note_openings o
    WHERE o.batch_id = p_batch_id AND o.opened_by = session_user
      AND o.purpose IN ('read', 'checkout')
      AND o.opened_at > clock_timestamp() - interval '{OPENING_LIFETIME}';
    IF v_ids IS NULL THEN
        RAISE EXCEPTION 'There is no committed opening % of yours from the last {OPENING_LIFETIME}: open the note first.', p_batch_id
            USING ERRCODE = '55000';
    END IF;
    RETURN QUERY
    SELECT n.note_id, n.booking_id, coalesce(a.client_id, b.invitee_id)::text,
           b.therapist_id::text, coalesce(t.name, n.host_name)::text, b.booking_start_at,
           o.opened_at, n.client_name, n.session_timing, n.host_name, n.session_status,
           n.client_age, n.gender, n.occupation, n.marital_status, n.concerns_discussed,
           n.somatic_cues, n.interventions_used, n.interventions_helpful, n.client_participation,
           n.goal_progress, n.client_values, n.self_harm_mention, n.self_harm_details,
           n.current_risk_level, n.protective_factors, n.health_history, n.past_diagnoses,
           n.next_session_plan, n.homework_suggested, n.created_at, n.updated_at
    FROM public.client_session_notes n
    JOIN backoffice.note_openings o ON o.note_id = n.note_id AND o.batch_id = p_batch_id
    LEFT JOIN public.bookings b ON b.booking_id = n.booking_id
    LEFT JOIN public.appointment_table a ON a.session_id = n.booking_id
    LEFT JOIN public.therapists t ON t.therapist_id = b.therapist_id
    WHERE n.note_id IN (SELECT backoffice.readable_note_ids(v_ids))
    ORDER BY n.note_id;
END
$$;
"""

OWNER_ONLY = ("backoffice.readable_note_ids(integer[])",)
# signature -> the kinds of staff whose clinic groups may execute it
EXECUTE = {
    "backoffice.record_note_opening(integer[], text)": (ADMIN, THERAPIST),
    "backoffice.read_opened_notes(bigint)": (ADMIN, THERAPIST),
}


def note_read_statements(groups: ClinicGroups) -> list[str]:
    """Create (or replace) the functions; EXECUTE for the groups named, nobody else."""
    statements = [_READABLE, _RECORD, _READ]
    for signature in OWNER_ONLY:
        statements.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    for signature, kinds in EXECUTE.items():
        names = ", ".join(groups.of(kind) for kind in kinds)
        statements.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        statements.append(f"GRANT EXECUTE ON FUNCTION {signature} TO {names}")
    return statements


__all__ = ["OPENING_LIFETIME", "note_read_statements"]
