"""A tamper-evident audit trail: every audit event is chained to the one before it by a hash.

- `audit_events.chain_seq`, `prev_hash`, `row_hash`: the event's place in the chain (1, 2, 3...
  with no gap), the previous event's hash (32 zero bytes for the first) and SHA-256 over that
  previous hash and the event's own content (`audit_event_hash`). A unique index on `chain_seq`
  makes a fork impossible.
- `audit_chain`: one row, the chain's head (the last place, hash and event). The BEFORE INSERT
  trigger `zz_audit_chain` locks it, so inserts from every connection, and from the SECURITY
  DEFINER functions that write events, are chained one after the other, in the order their
  transactions reach it; the lock is held until the transaction ends. It is named to fire after
  any other BEFORE INSERT trigger (they fire in name order), so it hashes the row as stored.
  Under REPEATABLE READ an insert fails (serialization failure) when another event was committed
  after the transaction's snapshot: events are written in READ COMMITTED transactions.
- `audit_events_insert_only` and `audit_events_no_truncate` refuse UPDATE, DELETE and TRUNCATE
  to everyone, the owner included, until a trigger is disabled; `backoffice audit verify` then
  names what was changed.
- Existing events are chained in id order.

The hash of an event: SHA-256 over `prev_hash` followed by each field of (chain_seq, id,
occurred_at in UTC as YYYY-MM-DDTHH:MI:SS.USZ, actor, action, subject_type, subject_id, details as
jsonb text), each written as 0x00 when NULL, otherwise 0x01, its UTF-8 length in 4 bytes big-endian
and its UTF-8 bytes. `backoffice.services.audit_trail` recomputes it in Python, trusting no
function of this schema.

Tables in the `backoffice` schema only: nothing here touches the structure of a `public` table.

Revision ID: 0009_audit_chain
Revises: 0005_people_and_clinics
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_audit_chain"
down_revision = "0005_people_and_clinics"
branch_labels = None
depends_on = None

GENESIS = "decode(repeat('00', 32), 'hex')"

_FIELD = r"""
CREATE FUNCTION backoffice.audit_hash_field(p_value text) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE WHEN p_value IS NULL THEN '\x00'::bytea
                ELSE '\x01'::bytea || int4send(octet_length(convert_to(p_value, 'UTF8')))
                     || convert_to(p_value, 'UTF8') END
$$;
"""

_HASH = r"""
CREATE FUNCTION backoffice.audit_event_hash(
    p_prev bytea, p_seq bigint, p_id bigint, p_at timestamptz, p_actor text, p_action text,
    p_subject_type text, p_subject_id text, p_details jsonb) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
    SELECT sha256(p_prev
        || backoffice.audit_hash_field(p_seq::text)
        || backoffice.audit_hash_field(p_id::text)
        || backoffice.audit_hash_field(
               to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
        || backoffice.audit_hash_field(p_actor)
        || backoffice.audit_hash_field(p_action)
        || backoffice.audit_hash_field(p_subject_type)
        || backoffice.audit_hash_field(p_subject_id)
        || backoffice.audit_hash_field(p_details::text))
$$;
"""

_ROW_HASH = """backoffice.audit_event_hash({prev}, {seq}, e.id, e.occurred_at, e.actor, e.action,
    e.subject_type, e.subject_id, e.details)"""

_CHAIN = """
CREATE FUNCTION backoffice.chain_audit_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_seq bigint;
    v_prev bytea;
BEGIN
    -- The head's row lock serialises every insert until its transaction ends.
    SELECT h.last_seq, h.last_hash INTO STRICT v_seq, v_prev
    FROM backoffice.audit_chain h FOR UPDATE;
    NEW.chain_seq := v_seq + 1;
    NEW.prev_hash := v_prev;
    NEW.row_hash := backoffice.audit_event_hash(v_prev, NEW.chain_seq, NEW.id, NEW.occurred_at,
        NEW.actor, NEW.action, NEW.subject_type, NEW.subject_id, NEW.details);
    UPDATE backoffice.audit_chain
    SET last_seq = NEW.chain_seq, last_hash = NEW.row_hash, last_event_id = NEW.id,
        last_occurred_at = NEW.occurred_at;
    RETURN NEW;
END
$$;
"""

_REFUSE = """
CREATE FUNCTION backoffice.refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'Audit events are never changed or deleted: the audit trail only grows.'
        USING ERRCODE = '42501';
END
$$;
"""

# Existing events, in id order, before the triggers exist (the UPDATE would be refused).
_CHAIN_EXISTING = f"""
DO $$
DECLARE
    v_prev bytea := {GENESIS};
    v_seq bigint := 0;
    v_id bigint;
    v_at timestamptz;
    e record;
BEGIN
    FOR e IN SELECT * FROM backoffice.audit_events ORDER BY id LOOP
        v_seq := v_seq + 1;
        UPDATE backoffice.audit_events
        SET chain_seq = v_seq, prev_hash = v_prev,
            row_hash = {_ROW_HASH.format(prev="v_prev", seq="v_seq")}
        WHERE id = e.id
        RETURNING row_hash INTO v_prev;
        v_id := e.id;
        v_at := e.occurred_at;
    END LOOP;
    INSERT INTO backoffice.audit_chain (last_seq, last_hash, last_event_id, last_occurred_at)
    VALUES (v_seq, v_prev, v_id, v_at);
END
$$;
"""

_TRIGGERS = (
    "CREATE TRIGGER zz_audit_chain BEFORE INSERT ON backoffice.audit_events "
    "FOR EACH ROW EXECUTE FUNCTION backoffice.chain_audit_event()",
    "CREATE TRIGGER audit_events_insert_only BEFORE UPDATE OR DELETE ON backoffice.audit_events "
    "FOR EACH ROW EXECUTE FUNCTION backoffice.refuse_audit_change()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON backoffice.audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION backoffice.refuse_audit_change()",
)


def upgrade() -> None:
    op.execute("LOCK TABLE backoffice.audit_events IN EXCLUSIVE MODE")
    for column, kind in (
        ("chain_seq", sa.BigInteger()),
        ("prev_hash", sa.LargeBinary()),
        ("row_hash", sa.LargeBinary()),
    ):
        op.add_column("audit_events", sa.Column(column, kind), schema="backoffice")
    _head_table()
    op.execute(_FIELD)
    op.execute(_HASH)
    op.execute(_CHAIN_EXISTING)
    for column in ("chain_seq", "prev_hash", "row_hash"):
        op.alter_column("audit_events", column, nullable=False, schema="backoffice")
    op.create_index(
        op.f("ix_audit_events_chain_seq"),
        "audit_events",
        ["chain_seq"],
        unique=True,
        schema="backoffice",
    )
    op.execute(_CHAIN)
    op.execute(_REFUSE)
    op.execute("REVOKE ALL ON FUNCTION backoffice.chain_audit_event() FROM PUBLIC")
    for statement in _TRIGGERS:
        op.execute(statement)


def _head_table() -> None:
    op.create_table(
        "audit_chain",
        sa.Column("only_row", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sa.LargeBinary(), nullable=False),
        sa.Column("last_event_id", sa.BigInteger(), nullable=True),
        sa.Column("last_occurred_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("only_row", name=op.f("ck_audit_chain_one_row")),
        sa.PrimaryKeyConstraint("only_row", name=op.f("pk_audit_chain")),
        schema="backoffice",
    )


def downgrade() -> None:
    for trigger in ("audit_events_no_truncate", "audit_events_insert_only", "zz_audit_chain"):
        op.execute(f"DROP TRIGGER {trigger} ON backoffice.audit_events")
    for function in (
        "refuse_audit_change()",
        "chain_audit_event()",
        "audit_event_hash(bytea, bigint, bigint, timestamptz, text, text, text, text, jsonb)",
        "audit_hash_field(text)",
    ):
        op.execute(f"DROP FUNCTION backoffice.{function}")
    op.drop_index(op.f("ix_audit_events_chain_seq"), table_name="audit_events", schema="backoffice")
    op.drop_table("audit_chain", schema="backoffice")
    for column in ("row_hash", "prev_hash", "chain_seq"):
        op.drop_column("audit_events", column, schema="backoffice")
