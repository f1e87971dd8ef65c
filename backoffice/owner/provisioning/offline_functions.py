"""The door a draft written offline comes back through: `upload_offline_draft(draft_id,
booking_id, text)`, SECURITY DEFINER, fixed search_path, EXECUTE for therapists only.

A draft carries the UUID its laptop gave it. The function first claims that id in
`backoffice.offline_drafts` (INSERT ... ON CONFLICT DO NOTHING: a second upload of the same draft
waits there until the first commits or rolls back), then writes the additional note through
`add_additional_note` (the one rule for what a therapist may write, and where) and records which
note the draft became, all in the caller's one transaction. So an upload retried after a cut
connection, before, during or after COMMIT, lands exactly once:

- `added`: this call wrote the note;
- `already`: an earlier upload of this draft wrote it, with the same text;
- `conflict`: an earlier upload wrote it and the draft was edited since: nothing is overwritten,
  the text on record comes back so that both can be shown.

Permission is checked again at upload, on the server: the session must still be the login's own
and the client still on the therapist's caseload (a client transferred away meanwhile is refused,
SQLSTATE 42501, and the draft stays on the laptop). A refusal rolls the claim back with everything
else, so the draft may be uploaded later.
"""

from __future__ import annotations

from backoffice.owner.provisioning.access_matrix import THERAPIST
from backoffice.owner.provisioning.groups import ClinicGroups

_UPLOAD = """
CREATE OR REPLACE FUNCTION backoffice.upload_offline_draft(
    p_draft_id uuid, p_booking_id text, p_text text)
RETURNS TABLE (outcome text, note_id integer, created_at timestamp, note_text text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_therapist text := backoffice.session_therapist_id();
    v_text text := btrim(coalesce(p_text, ''), E' \\t\\r\\n');
    v_claim backoffice.offline_drafts%ROWTYPE;
    v_client text;
    v_id integer;
    v_at timestamp;
BEGIN
    IF v_therapist IS NULL THEN
        RAISE EXCEPTION 'Only a therapist uploads drafts written offline.' USING ERRCODE = '42501';
    END IF;
    IF p_draft_id IS NULL THEN
        RAISE EXCEPTION 'A draft needs the id it was given offline.' USING ERRCODE = '22023';
    END IF;
    INSERT INTO backoffice.offline_drafts AS d (draft_id, therapist_id, booking_id)
    VALUES (p_draft_id, v_therapist, p_booking_id)
    ON CONFLICT (draft_id) DO NOTHING;
    IF NOT FOUND THEN
        SELECT * INTO v_claim FROM backoffice.offline_drafts d WHERE d.draft_id = p_draft_id;
        IF v_claim.login_role <> session_user THEN
            RAISE EXCEPTION 'Draft % was uploaded by another login.', p_draft_id
                USING ERRCODE = '42501';
        END IF;
        RETURN QUERY
        SELECT CASE WHEN a.note_text IS NULL OR a.note_text = v_text THEN 'already'
                    ELSE 'conflict' END,
               v_claim.note_id, a.created_at, a.note_text::text
        FROM (SELECT 1) AS one
        LEFT JOIN public.client_additional_notes a ON a.note_id = v_claim.note_id;
        RETURN;
    END IF;
    -- Its own checks first (their session, the text); any refusal below undoes the note too.
    SELECT n.note_id, n.created_at INTO v_id, v_at
    FROM backoffice.add_additional_note(p_booking_id, p_text) n;
    v_client := coalesce(
        (SELECT a.client_id::text FROM public.appointment_table a WHERE a.session_id = p_booking_id),
        (SELECT b.invitee_id FROM public.bookings b WHERE b.booking_id = p_booking_id));
    IF NOT EXISTS (SELECT 1 FROM public.all_clients_table c
                   WHERE c.client_id = v_client AND c.therapist_id = v_therapist) THEN
        RAISE EXCEPTION 'The client of session % is no longer on your caseload, so the draft was not uploaded.', p_booking_id
            USING ERRCODE = '42501';
    END IF;
    UPDATE backoffice.offline_drafts d SET note_id = v_id WHERE d.draft_id = p_draft_id;
    INSERT INTO backoffice.audit_events (action, subject_type, subject_id, details)
    VALUES ('offline_draft.uploaded', 'additional_note', v_id::text,
            jsonb_build_object('draft_id', p_draft_id, 'booking_id', p_booking_id));
    RETURN QUERY SELECT 'added'::text, v_id, v_at, v_text;
END
$$;
"""

# signature -> the kinds of staff whose clinic groups may execute it
EXECUTE = {"backoffice.upload_offline_draft(uuid, text, text)": (THERAPIST,)}


def offline_function_statements(groups: ClinicGroups) -> list[str]:
    """Create (or replace) the function; EXECUTE for the groups named, nobody else."""
    statements = [_UPLOAD]
    for signature, kinds in EXECUTE.items():
        names = ", ".join(groups.of(kind) for kind in kinds)
        statements.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        statements.append(f"GRANT EXECUTE ON FUNCTION {signature} TO {names}")
    return statements


__all__ = ["offline_function_statements"]
