"""Storing what the risk scan found, and giving the phrases back to an admin on record.

`store_risk_scan` is the third step of a scan batch (`risk_scan` says the first two);
`read_opened_risk_phrases` returns stored phrases for the notes of a committed opening with
purpose 'phrases'. No staff group may read `note_risk_matches` itself.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from backoffice.owner.provisioning.access_matrix import ADMIN
from backoffice.owner.provisioning.groups import ClinicGroups
from backoffice.owner.provisioning.risk_scan import (
    BATCH_CHECK,
    DENIED,
    FIELDS_SQL,
    MAY_SCAN,
    NEXT_BATCH,
    NO_BATCH,
    READ_BATCH,
    VERSION_SQL,
    WROTE_NOTHING,
)
from backoffice.risk_language import LEXICON_VERSION

# results: [{"note_id": 7, "updated_at": "2026-01-02T10:00:00", "matches": [{"field": ...,
#            "phrase": ..., "start": 0, "end": 9, "entry": ..., "category": ...}]}]
_STORE = f"""
CREATE OR REPLACE FUNCTION backoffice.store_risk_scan(
    p_batch_id bigint, p_lexicon_version text, p_results jsonb)
RETURNS TABLE (stored integer, flagged integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_fresh jsonb;
    v_bad record;
BEGIN
    IF NOT backoffice.may_scan_notes() THEN {DENIED}; END IF;
    IF p_lexicon_version IS DISTINCT FROM {VERSION_SQL} THEN
        RAISE EXCEPTION 'The database scans with lexicon version %, this application with %: the database owner runs `backoffice db provision` with this version.', {VERSION_SQL}, p_lexicon_version
            USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS ({BATCH_CHECK.format(purpose="scan")}) THEN
        {NO_BATCH.format(purpose="scan")};
    END IF;
    IF jsonb_typeof(p_results) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'The results of a scan batch are a JSON array.' USING ERRCODE = '22023';
    END IF;
    SELECT (e->>'note_id')::integer AS note_id INTO v_bad FROM jsonb_array_elements(p_results) e
    WHERE NOT EXISTS (SELECT 1 FROM backoffice.note_openings o WHERE o.batch_id = p_batch_id
                      AND o.opened_by = session_user AND o.note_id = (e->>'note_id')::integer)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'Note % was not read in scan batch %.', v_bad.note_id, p_batch_id
            USING ERRCODE = '22023';
    END IF;
    -- Only notes unchanged since they were read; one edited meanwhile waits for the next pass.
    SELECT coalesce(jsonb_agg(e), '[]') INTO v_fresh FROM jsonb_array_elements(p_results) e
    JOIN public.client_session_notes n ON n.note_id = (e->>'note_id')::integer
     AND n.updated_at IS NOT DISTINCT FROM (e->>'updated_at')::timestamp;
    SELECT m.note_id, m.field INTO v_bad
    FROM (SELECT (e->>'note_id')::integer AS note_id, x->>'field' AS field, x->>'phrase' AS phrase,
                 (x->>'start')::integer AS start_at, (x->>'end')::integer AS end_at
          FROM jsonb_array_elements(v_fresh) e, jsonb_array_elements(e->'matches') x) m
    LEFT JOIN (SELECT n.note_id, f.field, f.content FROM public.client_session_notes n
               CROSS JOIN LATERAL {FIELDS_SQL} AS f(field, content)) t
      ON t.note_id = m.note_id AND t.field = m.field
    WHERE t.content IS NULL OR m.start_at < 0 OR m.end_at <= m.start_at
       OR substr(t.content, m.start_at + 1, m.end_at - m.start_at) IS DISTINCT FROM m.phrase
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'A phrase given for note % (%) does not stand in its text at its span.', v_bad.note_id, v_bad.field
            USING ERRCODE = '22023';
    END IF;
    DELETE FROM backoffice.note_risk_matches m
    WHERE m.note_id IN (SELECT (e->>'note_id')::integer FROM jsonb_array_elements(v_fresh) e);
    INSERT INTO backoffice.note_risk_matches (note_id, field, phrase, start_at, end_at, entry_id,
                                              category, lexicon_version)
    SELECT (e->>'note_id')::integer, x->>'field', x->>'phrase', (x->>'start')::integer,
           (x->>'end')::integer, x->>'entry', x->>'category', {VERSION_SQL}
    FROM jsonb_array_elements(v_fresh) e, jsonb_array_elements(e->'matches') x;
    INSERT INTO backoffice.note_risk_scans AS s (note_id, note_updated_at, lexicon_version,
                                                 phrases, categories)
    SELECT (e->>'note_id')::integer, (e->>'updated_at')::timestamp, {VERSION_SQL},
           jsonb_array_length(e->'matches'),
           ARRAY(SELECT DISTINCT x->>'category' FROM jsonb_array_elements(e->'matches') x
                 ORDER BY 1)
    FROM jsonb_array_elements(v_fresh) e
    ON CONFLICT (note_id) DO UPDATE SET note_updated_at = EXCLUDED.note_updated_at,
        lexicon_version = EXCLUDED.lexicon_version, phrases = EXCLUDED.phrases,
        categories = EXCLUDED.categories, scanned_at = now(), scanned_by = session_user;
    RETURN QUERY SELECT jsonb_array_length(v_fresh),
        (SELECT count(*)::integer FROM jsonb_array_elements(v_fresh) e
         WHERE jsonb_array_length(e->'matches') > 0);
END
$$;
"""

_PHRASES = f"""
CREATE OR REPLACE FUNCTION backoffice.read_opened_risk_phrases(p_batch_id bigint)
RETURNS TABLE (note_id integer, field text, phrase text, start_at integer, end_at integer,
               category text, entry_id text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM backoffice.session_staff() s WHERE s.role = 'admin') THEN
        RAISE EXCEPTION 'Only admins read the risk phrases found in session notes.'
            USING ERRCODE = '42501';
    END IF;
    {WROTE_NOTHING}
    IF NOT EXISTS ({BATCH_CHECK.format(purpose="phrases")}) THEN
        {NO_BATCH.format(purpose="phrases")};
    END IF;
    RETURN QUERY
    SELECT m.note_id, m.field::text, m.phrase, m.start_at, m.end_at, m.category::text,
           m.entry_id::text
    FROM backoffice.note_risk_matches m
    WHERE m.note_id IN (SELECT o.note_id FROM backoffice.note_openings o
                        WHERE o.batch_id = p_batch_id AND o.opened_by = session_user)
    ORDER BY m.note_id, m.field, m.start_at;
END
$$;
"""

OWNER_ONLY = ("backoffice.may_scan_notes()",)
EXECUTE = {
    "backoffice.risk_scan_next(integer, integer)": (ADMIN,),
    "backoffice.read_risk_scan_batch(bigint)": (ADMIN,),
    "backoffice.store_risk_scan(bigint, text, jsonb)": (ADMIN,),
    "backoffice.read_opened_risk_phrases(bigint)": (ADMIN,),
}


def risk_scan_statements(groups: ClinicGroups) -> list[str]:
    """Create (or replace) the scan's functions; EXECUTE for the clinic's admins, nobody else."""
    statements = [MAY_SCAN, NEXT_BATCH, READ_BATCH, _STORE, _PHRASES]
    for signature in OWNER_ONLY:
        statements.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    for signature, kinds in EXECUTE.items():
        names = ", ".join(groups.of(kind) for kind in kinds)
        statements.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        statements.append(f"GRANT EXECUTE ON FUNCTION {signature} TO {names}")
    # `provision` runs them as SQLAlchemy text(), where ":name" would be a bind parameter: the
    # prefilter's "(?:" groups must stay colons.
    return [statement.replace(":", "\\:") for statement in statements]


def lexicon_provisioned(conn: Connection) -> bool:
    """Whether the database's scan functions were created with this lexicon version (after a new
    one, `provision` again: the functions refuse results of another version)."""
    found = conn.execute(
        text(
            "SELECT coalesce(bool_or(position(:version IN p.prosrc) > 0), false) FROM pg_proc p "
            "WHERE p.oid = to_regprocedure('backoffice.risk_scan_next(integer, integer)')"
        ),
        {"version": f"'{LEXICON_VERSION}'"},
    ).scalar_one()
    return bool(found)


__all__ = ["lexicon_provisioned", "risk_scan_statements"]
