"""Refund rules the database enforces: never more than was paid, four eyes above a threshold, a ledger.

- `refund_balances`: per payment, what was paid, refunded before the back-office, reserved by
  non-rejected refunds and completed; a CHECK keeps `refunded_before + reserved <= paid`. Every
  refund change updates its row, so two transactions refunding one payment serialise on it (and
  under REPEATABLE READ the second one fails instead of summing from an old snapshot).
- Triggers on `refunds` fill in who and when from `session_user`, refuse anything but the state
  machine (requested -> approved | rejected, approved -> completed | failed, failed -> approved),
  refuse the requester approving their own refund above `refunds.approval_threshold` (per currency,
  in `settings`), and write the `refund_events` ledger line of every change themselves.
- `staff_recipient(login)`: whom to notify about a refund (finance cannot read `staff_accounts`).

Tables in the `backoffice` schema only: nothing here touches the structure of a `public` table.

Revision ID: 0003_refund_rules
Revises: 0002_therapist_status
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_refund_rules"
down_revision = "0002_therapist_status"
branch_labels = None
depends_on = None

# Above these amounts (per currency) a second person must approve; a currency not listed needs a
# second person for any amount. Chosen so that the demo's dearer sessions need two people.
DEFAULT_THRESHOLDS = (
    '{"INR": "2000.00", "USD": "50.00", "GBP": "40.00", "EUR": "45.00", "AED": "180.00", '
    '"SGD": "65.00", "CAD": "65.00", "AUD": "75.00"}'
)

BEFORE_INSERT = """
CREATE FUNCTION backoffice.refunds_before_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    pay record;
BEGIN
    SELECT p.amount, p.currency, p.booking_id INTO pay
    FROM public.payments p WHERE p.payment_id = NEW.payment_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'payment % does not exist', NEW.payment_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF pay.amount IS NULL OR pay.amount <= 0 OR coalesce(btrim(pay.currency), '') = '' THEN
        RAISE EXCEPTION 'payment % has no amount or currency that could be refunded', NEW.payment_id
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.currency := pay.currency;
    NEW.booking_id := pay.booking_id;
    NEW.state := 'requested';
    NEW.requested_by := session_user;
    NEW.requested_at := now();
    NEW.approved_by := NULL;
    NEW.approved_at := NULL;
    NEW.completed_at := NULL;
    NEW.gateway_reference := NULL;
    NEW.failure_message := NULL;
    RETURN NEW;
END
$$;
"""

BEFORE_UPDATE = """
CREATE FUNCTION backoffice.refunds_before_update() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    threshold numeric;
BEGIN
    IF (NEW.id, NEW.payment_id, NEW.booking_id, NEW.amount, NEW.currency, NEW.reason_code, NEW.note,
        NEW.idempotency_key, NEW.requested_by, NEW.requested_at)
       IS DISTINCT FROM
       (OLD.id, OLD.payment_id, OLD.booking_id, OLD.amount, OLD.currency, OLD.reason_code, OLD.note,
        OLD.idempotency_key, OLD.requested_by, OLD.requested_at) THEN
        RAISE EXCEPTION 'refund %: only its state, gateway reference and failure message may change', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT ((OLD.state = 'requested' AND NEW.state IN ('approved', 'rejected'))
            OR (OLD.state = 'approved' AND NEW.state IN ('completed', 'failed'))
            OR (OLD.state = 'failed' AND NEW.state = 'approved')) THEN
        RAISE EXCEPTION 'refund % cannot go from % to %', OLD.id, OLD.state, NEW.state
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.approved_by := OLD.approved_by;
    NEW.approved_at := OLD.approved_at;
    NEW.completed_at := OLD.completed_at;
    IF NEW.state = 'approved' THEN
        IF OLD.state = 'requested' THEN
            SELECT (s.value ->> NEW.currency)::numeric INTO threshold
            FROM backoffice.settings s WHERE s.key = 'refunds.approval_threshold';
            IF NEW.amount > coalesce(threshold, 0) AND OLD.requested_by = session_user THEN
                RAISE EXCEPTION 'refund % of % % is above the approval threshold of % %, so someone other than %, who requested it, must approve it',
                    OLD.id, NEW.amount, NEW.currency, coalesce(threshold, 0), NEW.currency, OLD.requested_by
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            NEW.approved_by := session_user;
            NEW.approved_at := now();
        END IF;
        NEW.gateway_reference := NULL;
        NEW.failure_message := NULL;
    ELSIF NEW.state = 'rejected' THEN
        NEW.gateway_reference := NULL;
        NEW.failure_message := NULL;
    ELSIF NEW.state = 'completed' THEN
        IF coalesce(btrim(NEW.gateway_reference), '') = '' THEN
            RAISE EXCEPTION 'refund % cannot be completed without the gateway''s refund reference', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
        NEW.completed_at := now();
        NEW.failure_message := NULL;
    ELSIF NEW.state = 'failed' THEN
        IF coalesce(btrim(NEW.failure_message), '') = '' THEN
            RAISE EXCEPTION 'refund % cannot be marked failed without the gateway''s message', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
"""

# The ledger line's reason: `backoffice.event_reason` (set for this transaction by the service,
# e.g. why a refund was rejected), else what the refund itself says.
AFTER_CHANGE = """
CREATE FUNCTION backoffice.refunds_after_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    pay record;
    bal backoffice.refund_balances;
    released numeric := 0;
    why text := nullif(current_setting('backoffice.event_reason', true), '');
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT p.amount, p.refund_amount, p.refund_status INTO pay
        FROM public.payments p WHERE p.payment_id = NEW.payment_id;
        INSERT INTO backoffice.refund_balances AS b
            (payment_id, currency, paid, refunded_before, reserved)
        VALUES (NEW.payment_id, NEW.currency, pay.amount,
                CASE WHEN lower(coalesce(pay.refund_status, '')) = 'failed' THEN 0
                     ELSE coalesce(pay.refund_amount, 0) END,
                NEW.amount)
        ON CONFLICT (payment_id) DO UPDATE
            SET reserved = b.reserved + EXCLUDED.reserved, paid = EXCLUDED.paid, updated_at = now()
        RETURNING * INTO bal;
        released := -NEW.amount;
        why := coalesce(why, NEW.reason_code || coalesce(': ' || NEW.note, ''));
    ELSE
        IF NEW.state = OLD.state THEN
            RETURN NULL;
        END IF;
        IF NEW.state = 'rejected' THEN
            released := NEW.amount;
        END IF;
        UPDATE backoffice.refund_balances b
        SET reserved = b.reserved - released,
            completed = b.completed + CASE WHEN NEW.state = 'completed' THEN NEW.amount ELSE 0 END,
            updated_at = now()
        WHERE b.payment_id = NEW.payment_id
        RETURNING * INTO bal;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'the refund balance of payment % is not visible to this transaction', NEW.payment_id
                USING ERRCODE = 'serialization_failure';
        END IF;
        IF NEW.state = 'failed' THEN
            why := coalesce(why, NEW.failure_message);
        END IF;
    END IF;
    INSERT INTO backoffice.refund_events
        (refund_id, state, amount, balance_before, balance_after, reason, gateway_reference)
    VALUES (NEW.id, NEW.state, NEW.amount,
            bal.paid - bal.refunded_before - bal.reserved - released,
            bal.paid - bal.refunded_before - bal.reserved,
            why, NEW.gateway_reference);
    PERFORM set_config('backoffice.event_reason', '', true);
    RETURN NULL;
END
$$;
"""

STAFF_RECIPIENT = """
CREATE FUNCTION backoffice.staff_recipient(p_login text)
RETURNS TABLE (user_id integer, role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT s.user_id, s.role::text FROM backoffice.staff_accounts s
    WHERE s.login_role = p_login AND s.user_id IS NOT NULL
$$;
"""

FUNCTIONS = (
    "backoffice.refunds_before_insert()",
    "backoffice.refunds_before_update()",
    "backoffice.refunds_after_change()",
    "backoffice.staff_recipient(text)",
)


def upgrade() -> None:
    op.create_table(
        "refund_balances",
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=10), nullable=False),
        sa.Column("paid", sa.Numeric(), nullable=False),
        sa.Column("refunded_before", sa.Numeric(), server_default="0", nullable=False),
        sa.Column("reserved", sa.Numeric(12, 2), server_default="0", nullable=False),
        sa.Column("completed", sa.Numeric(12, 2), server_default="0", nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "paid >= 0 AND refunded_before >= 0 AND reserved >= 0 AND completed >= 0",
            name=op.f("ck_refund_balances_not_negative"),
        ),
        sa.CheckConstraint(
            "completed <= reserved", name=op.f("ck_refund_balances_completed_within_reserved")
        ),
        sa.CheckConstraint(
            "refunded_before + reserved <= paid", name=op.f("ck_refund_balances_within_paid")
        ),
        sa.PrimaryKeyConstraint("payment_id", name=op.f("pk_refund_balances")),
        schema="backoffice",
    )
    # One refund made in the gateway is recorded once: no two completed refunds share a reference.
    op.create_index(
        "uq_refunds_completed_gateway_reference",
        "refunds",
        ["gateway_reference"],
        unique=True,
        schema="backoffice",
        postgresql_where=sa.text("state = 'completed'"),
    )
    for statement in (BEFORE_INSERT, BEFORE_UPDATE, AFTER_CHANGE, STAFF_RECIPIENT):
        op.execute(statement)
    for signature in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER refunds_before_insert BEFORE INSERT ON backoffice.refunds "
        "FOR EACH ROW EXECUTE FUNCTION backoffice.refunds_before_insert()"
    )
    op.execute(
        "CREATE TRIGGER refunds_before_update BEFORE UPDATE ON backoffice.refunds "
        "FOR EACH ROW EXECUTE FUNCTION backoffice.refunds_before_update()"
    )
    op.execute(
        "CREATE TRIGGER refunds_after_change AFTER INSERT OR UPDATE ON backoffice.refunds "
        "FOR EACH ROW EXECUTE FUNCTION backoffice.refunds_after_change()"
    )
    op.execute(
        sa.text(
            "INSERT INTO backoffice.settings (key, value) "
            "VALUES ('refunds.approval_threshold', CAST(:value AS jsonb)) "
            "ON CONFLICT (key) DO NOTHING"
        ).bindparams(value=DEFAULT_THRESHOLDS)
    )


def downgrade() -> None:
    for trigger in ("refunds_after_change", "refunds_before_update", "refunds_before_insert"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON backoffice.refunds")
    for signature in FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    op.drop_index(
        "uq_refunds_completed_gateway_reference", table_name="refunds", schema="backoffice"
    )
    op.drop_table("refund_balances", schema="backoffice")
    op.execute("DELETE FROM backoffice.settings WHERE key = 'refunds.approval_threshold'")
