"""Scanning session notes for risk language, against raw SQL too: the doors of `db provision`.

Note content is read only on record (`note_reads`); the scan reads it in batches, one record and
one audit event a batch, and only an admin login may run it (therapists and finance hold no
EXECUTE, and each function checks again; the nightly job signs in as an admin). Each batch takes three transactions:

1. `risk_scan_next(after, limit)` takes the next notes (by id, after `after`) not yet scanned with
   this lexicon version at their current `updated_at`, applies the lexicon's SQL prefilter to them
   on the server, marks those it rules out as scanned with nothing found, and puts the rest (the
   candidates) on record as one opening batch (purpose 'scan') with one audit event
   "notes.scanned". The caller commits.
2. `read_risk_scan_batch(batch)` returns the candidates' text, field by field, to the login that
   opened the batch, within `OPENING_LIFETIME`, in a transaction that has written nothing.
3. `store_risk_scan(batch, version, results)` stores what the matcher found in those notes: only
   notes of the batch, unchanged since they were read, and each phrase must stand in the note's
   text at its span (nobody can store a phrase a note does not hold). A note edited meanwhile is
   left for the next pass.

The prefilter and the lexicon version are written into the functions when `db provision` runs,
so a new lexicon needs `db provision` (the functions refuse results of another version).
`read_opened_risk_phrases(batch)` gives an admin the stored phrases of the notes of a committed
opening with purpose 'phrases' (the review queue, the risk-review report).
"""

from __future__ import annotations

from backoffice.owner.provisioning.note_reads import OPENING_LIFETIME
from backoffice.risk_language import LEXICON_VERSION, postgres_prefilter
from backoffice.services.notes import SCANNED_FIELDS

MAX_BATCH = 5000


def _value(field: str) -> str:
    return f"array_to_string(n.{field}, ', ')" if field == "somatic_cues" else f"n.{field}"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


FIELDS_SQL = "(VALUES " + ", ".join(f"('{f}', {_value(f)})" for f in SCANNED_FIELDS) + ")"
ALL_TEXT = "concat_ws(E'\\n', " + ", ".join(_value(f) for f in SCANNED_FIELDS) + ")"
VERSION_SQL = _literal(LEXICON_VERSION)
DENIED = (
    "RAISE EXCEPTION 'Only admins scan session notes for risk language.' USING ERRCODE = '42501'"
)
BATCH_CHECK = f"""
    SELECT 1 FROM backoffice.note_openings o
    WHERE o.batch_id = p_batch_id AND o.opened_by = session_user AND o.purpose = '{{purpose}}'
      AND o.opened_at > clock_timestamp() - interval '{OPENING_LIFETIME}'"""
NO_BATCH = f"""RAISE EXCEPTION 'There is no committed {{purpose}} batch % of yours from the last {OPENING_LIFETIME}.', p_batch_id
            USING ERRCODE = '55000'"""
WROTE_NOTHING = """IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'Note content is read only in a transaction that has written nothing, after its opening was committed.'
            USING ERRCODE = '55000';
    END IF;"""

# Admins only: the one check of every function below.
MAY_SCAN = """
CREATE OR REPLACE FUNCTION backoffice.may_scan_notes()
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM backoffice.session_staff() s WHERE s.role = 'admin')
$$;
"""

NEXT_BATCH = f"""
CREATE OR REPLACE FUNCTION backoffice.risk_scan_next(p_after integer, p_limit integer DEFAULT 500)
RETURNS TABLE (batch_id bigint, examined integer, last_note_id integer, candidates integer[],
               lexicon_version text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_batch bigint;
    v_examined integer;
    v_last integer;
    v_ids integer[];
BEGIN
    IF NOT backoffice.may_scan_notes() THEN {DENIED}; END IF;
    IF p_limit IS NULL OR p_limit < 1 OR p_limit > {MAX_BATCH} THEN
        RAISE EXCEPTION 'A scan batch holds 1 to {MAX_BATCH} notes, not %.', p_limit
            USING ERRCODE = '22023';
    END IF;
    WITH todo AS MATERIALIZED (
        SELECT n.note_id, n.updated_at, {ALL_TEXT} ~* {_literal(postgres_prefilter())} AS candidate
        FROM public.client_session_notes n
        WHERE n.note_id > coalesce(p_after, -2147483648)
          AND NOT EXISTS (SELECT 1 FROM backoffice.note_risk_scans s
                          WHERE s.note_id = n.note_id AND s.lexicon_version = {VERSION_SQL}
                            AND s.note_updated_at IS NOT DISTINCT FROM n.updated_at)
        ORDER BY n.note_id LIMIT p_limit
    ), clean AS (
        INSERT INTO backoffice.note_risk_scans AS s (note_id, note_updated_at, lexicon_version)
        SELECT t.note_id, t.updated_at, {VERSION_SQL} FROM todo t WHERE NOT t.candidate
        ON CONFLICT (note_id) DO UPDATE SET note_updated_at = EXCLUDED.note_updated_at,
            lexicon_version = EXCLUDED.lexicon_version, phrases = 0, categories = '{{}}',
            scanned_at = now(), scanned_by = session_user
        RETURNING s.note_id
    ), cleared AS (
        DELETE FROM backoffice.note_risk_matches m WHERE m.note_id IN (SELECT c.note_id FROM clean c)
    )
    SELECT count(*), max(t.note_id), array_agg(t.note_id ORDER BY t.note_id) FILTER (WHERE t.candidate)
    INTO v_examined, v_last, v_ids FROM todo t;
    IF v_ids IS NOT NULL THEN
        v_batch := nextval(pg_get_serial_sequence('backoffice.note_openings', 'id'));
        INSERT INTO backoffice.note_openings (note_id, batch_id, purpose, opened_at)
        SELECT i, v_batch, 'scan', clock_timestamp() FROM unnest(v_ids) AS i;
    END IF;
    IF v_examined > 0 THEN
        INSERT INTO backoffice.audit_events (action, subject_type, subject_id, details)
        VALUES ('notes.scanned', 'risk_scan', v_batch::text,
                jsonb_build_object('batch_id', v_batch, 'purpose', 'scan', 'examined', v_examined,
                                   'after_note_id', p_after, 'last_note_id', v_last,
                                   'candidates', coalesce(cardinality(v_ids), 0),
                                   'note_ids', to_jsonb(coalesce(v_ids, '{{}}')),
                                   'lexicon_version', {VERSION_SQL}));
    END IF;
    RETURN QUERY SELECT v_batch, v_examined, v_last, v_ids, {VERSION_SQL}::text;
END
$$;
"""

READ_BATCH = f"""
CREATE OR REPLACE FUNCTION backoffice.read_risk_scan_batch(p_batch_id bigint)
RETURNS TABLE (note_id integer, updated_at timestamp, field text, content text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT backoffice.may_scan_notes() THEN {DENIED}; END IF;
    {WROTE_NOTHING}
    IF NOT EXISTS ({BATCH_CHECK.format(purpose="scan")}) THEN
        {NO_BATCH.format(purpose="scan")};
    END IF;
    RETURN QUERY
    SELECT n.note_id, n.updated_at, f.field, f.content
    FROM public.client_session_notes n
    CROSS JOIN LATERAL {FIELDS_SQL} AS f(field, content)
    WHERE n.note_id IN (SELECT o.note_id FROM backoffice.note_openings o
                        WHERE o.batch_id = p_batch_id AND o.opened_by = session_user)
      AND coalesce(f.content, '') <> ''
    ORDER BY n.note_id, f.field;
END
$$;
"""
