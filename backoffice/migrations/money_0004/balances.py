"""A payment's refund balance: what it had refunded before the back-office, frozen at its first refund.

Revision 0003 took "refunded before" from `payments.refund_amount` / `refund_status` whenever a
payment's first back-office refund was made, and staff could edit those columns: wipe them, refund
again. From 0004 staff may no longer write them (the access matrix), and the balance row keeps the
payment's own refund fields as they stood when the back-office first touched it (`before_*`), split
into the part the gateway confirmed (`refunded_before`) and the part it had not
(`before_pending`: "initiated", "pending"...; neither refunded nor refundable). The balance also
remembers the last outcome (completed or failed) and its reference, which is what the clinic's
refund fields should then say (`fields`).
"""

COLUMNS = """
ALTER TABLE backoffice.refund_balances
    ADD COLUMN before_pending numeric NOT NULL DEFAULT 0,
    ADD COLUMN before_amount numeric,
    ADD COLUMN before_status varchar(50),
    ADD COLUMN before_refund_id varchar(255),
    ADD COLUMN before_failed_at timestamp,
    ADD COLUMN before_initiated_at timestamp,
    ADD COLUMN outcome varchar(20),
    ADD COLUMN outcome_at timestamptz,
    ADD COLUMN outcome_reference varchar(255),
    ADD COLUMN completed_reference varchar(255),
    ADD COLUMN failed numeric(12, 2) NOT NULL DEFAULT 0,
    ADD CONSTRAINT ck_refund_balances_outcome_allowed
        CHECK (outcome IS NULL OR outcome IN ('completed', 'failed')),
    ADD CONSTRAINT ck_refund_balances_before_pending_not_negative CHECK (before_pending >= 0),
    ADD CONSTRAINT ck_refund_balances_failed_within_reserved CHECK (failed >= 0 AND failed <= reserved);
ALTER TABLE backoffice.refund_balances DROP CONSTRAINT ck_refund_balances_within_paid;
ALTER TABLE backoffice.refund_balances ADD CONSTRAINT ck_refund_balances_within_paid
    CHECK (refunded_before + before_pending + reserved <= paid);
"""

# How the clinic's own refund fields count: a refund the gateway processed is refunded, a failed
# one moved nothing (what failed is its amount, or the payment's when it names none), anything
# else with an amount ("initiated", "pending", no status) is on its way: not refunded, and not
# refundable either. Plain SQL expressions, so that views inline them.
CLASSIFY = """
CREATE FUNCTION backoffice.refund_processed_part(p_amount numeric, p_status text)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN lower(btrim(p_status)) = 'processed'
                THEN greatest(coalesce(p_amount, 0), 0) ELSE 0 END
$$;

CREATE FUNCTION backoffice.refund_failed_part(p_amount numeric, p_status text, p_paid numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN lower(btrim(p_status)) = 'failed'
                THEN greatest(coalesce(p_amount, p_paid, 0), 0) ELSE 0 END
$$;

CREATE FUNCTION backoffice.refund_pending_part(p_amount numeric, p_status text)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN lower(btrim(coalesce(p_status, ''))) IN ('processed', 'failed') THEN 0
                ELSE greatest(coalesce(p_amount, 0), 0) END
$$;
"""

# Rows made under 0003: those with no outcome yet still show the payment's own fields, so they
# are taken as they stand, split without raising what may be refunded; the others were rewritten
# by the 0003 completion, which kept only the total: it counts as refunded.
EXISTING_ROWS = """
WITH last AS (
    SELECT DISTINCT ON (r.payment_id) r.payment_id, e.state, e.occurred_at, e.gateway_reference
    FROM backoffice.refund_events e JOIN backoffice.refunds r ON r.id = e.refund_id
    WHERE e.state IN ('completed', 'failed') ORDER BY r.payment_id, e.id DESC
), failing AS (
    SELECT r.payment_id, sum(r.amount) AS amount
    FROM backoffice.refunds r WHERE r.state = 'failed' GROUP BY r.payment_id
), done AS (
    SELECT DISTINCT ON (r.payment_id) r.payment_id, r.gateway_reference
    FROM backoffice.refunds r WHERE r.state = 'completed' ORDER BY r.payment_id, r.completed_at DESC
)
UPDATE backoffice.refund_balances b
SET outcome = last.state, outcome_at = last.occurred_at, outcome_reference = last.gateway_reference,
    completed_reference = done.gateway_reference,
    failed = coalesce(failing.amount, 0),
    refunded_before = CASE WHEN last.state IS NULL
        THEN least(b.refunded_before, backoffice.refund_processed_part(p.refund_amount, p.refund_status))
        ELSE b.refunded_before END,
    before_pending = CASE WHEN last.state IS NULL
        THEN b.refunded_before
             - least(b.refunded_before, backoffice.refund_processed_part(p.refund_amount, p.refund_status))
        ELSE 0 END,
    before_amount = CASE WHEN last.state IS NULL THEN p.refund_amount
                         ELSE nullif(b.refunded_before, 0) END,
    before_status = CASE WHEN last.state IS NULL THEN p.refund_status
                         WHEN b.refunded_before > 0 THEN 'processed' END,
    before_refund_id = CASE WHEN last.state IS NULL THEN p.refund_id END,
    before_failed_at = CASE WHEN last.state IS NULL THEN p.refund_failed_date END,
    before_initiated_at = CASE WHEN b.refunded_before > 0 THEN p.refund_initiation_date END
FROM public.payments p
LEFT JOIN last ON last.payment_id = p.payment_id
LEFT JOIN done ON done.payment_id = p.payment_id
LEFT JOIN failing ON failing.payment_id = p.payment_id
WHERE p.payment_id = b.payment_id;
"""

# The first refund of a payment freezes what its own fields said; later refunds never read them.
OPEN_BALANCE = """
CREATE FUNCTION backoffice.open_refund_balance(p_payment_id integer)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    INSERT INTO backoffice.refund_balances AS b
        (payment_id, currency, paid, refunded_before, before_pending, before_amount, before_status,
         before_refund_id, before_failed_at, before_initiated_at)
    SELECT p.payment_id, p.currency, p.amount,
           backoffice.refund_processed_part(p.refund_amount, p.refund_status),
           backoffice.refund_pending_part(p.refund_amount, p.refund_status),
           p.refund_amount, p.refund_status, p.refund_id, p.refund_failed_date,
           p.refund_initiation_date
    FROM public.payments p WHERE p.payment_id = p_payment_id
    ON CONFLICT (payment_id) DO UPDATE SET paid = EXCLUDED.paid
$$;
"""

# Staff hold no UPDATE on `payments`, which `SELECT ... FOR UPDATE` needs: the refund workflows
# lock the payment they refund through this function (a row lock lasts to the end of the
# caller's transaction), so that two people refunding one payment queue up.
LOCK_PAYMENT = """
CREATE FUNCTION backoffice.lock_payment_for_refund(p_payment_id integer)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM 1 FROM public.payments p WHERE p.payment_id = p_payment_id FOR UPDATE;
    RETURN FOUND;
END
$$;
"""

# The ledger line's reason: `backoffice.event_reason` (set for this transaction by the service,
# e.g. why a refund was rejected), else what the refund itself says. An outcome (completed or
# failed) is also written to the clinic's refund fields, by `write_refund_fields` (see `fields`).
AFTER_CHANGE = """
CREATE OR REPLACE FUNCTION backoffice.refunds_after_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bal backoffice.refund_balances;
    released numeric := 0;
    is_outcome boolean := TG_OP = 'UPDATE' AND NEW.state IN ('completed', 'failed');
    why text := nullif(current_setting('backoffice.event_reason', true), '');
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM backoffice.open_refund_balance(NEW.payment_id);
        released := -NEW.amount;
        why := coalesce(why, NEW.reason_code || coalesce(': ' || NEW.note, ''));
    ELSIF NEW.state = OLD.state THEN
        RETURN NULL;
    ELSIF NEW.state = 'rejected' THEN
        released := NEW.amount;
    ELSIF NEW.state = 'failed' THEN
        why := coalesce(why, NEW.failure_message);
    END IF;
    UPDATE backoffice.refund_balances b
    SET reserved = b.reserved - released,
        completed = b.completed + CASE WHEN is_outcome AND NEW.state = 'completed'
                                       THEN NEW.amount ELSE 0 END,
        failed = b.failed + CASE WHEN TG_OP = 'INSERT' THEN 0
                                 WHEN NEW.state = 'failed' THEN NEW.amount
                                 WHEN OLD.state = 'failed' THEN -NEW.amount ELSE 0 END,
        outcome = CASE WHEN is_outcome THEN NEW.state ELSE b.outcome END,
        outcome_at = CASE WHEN is_outcome THEN now() ELSE b.outcome_at END,
        outcome_reference = CASE WHEN is_outcome THEN NEW.gateway_reference
                                 ELSE b.outcome_reference END,
        completed_reference = CASE WHEN is_outcome AND NEW.state = 'completed'
                                   THEN NEW.gateway_reference ELSE b.completed_reference END,
        updated_at = now()
    WHERE b.payment_id = NEW.payment_id
    RETURNING * INTO bal;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the refund balance of payment % is not visible to this transaction', NEW.payment_id
            USING ERRCODE = 'serialization_failure';
    END IF;
    INSERT INTO backoffice.refund_events
        (refund_id, state, amount, balance_before, balance_after, reason, gateway_reference)
    VALUES (NEW.id, NEW.state, NEW.amount,
            bal.paid - bal.refunded_before - bal.before_pending - bal.reserved - released,
            bal.paid - bal.refunded_before - bal.before_pending - bal.reserved,
            why, NEW.gateway_reference);
    PERFORM set_config('backoffice.event_reason', '', true);
    IF is_outcome THEN
        PERFORM backoffice.write_refund_fields(NEW.payment_id);
    END IF;
    RETURN NULL;
END
$$;
"""

DOWNGRADE = """
ALTER TABLE backoffice.refund_balances DROP CONSTRAINT ck_refund_balances_within_paid;
UPDATE backoffice.refund_balances SET refunded_before = refunded_before + before_pending;
ALTER TABLE backoffice.refund_balances
    DROP COLUMN before_pending, DROP COLUMN before_amount, DROP COLUMN before_status,
    DROP COLUMN before_refund_id, DROP COLUMN before_failed_at, DROP COLUMN before_initiated_at,
    DROP COLUMN outcome, DROP COLUMN outcome_at, DROP COLUMN outcome_reference,
    DROP COLUMN completed_reference, DROP COLUMN failed;
ALTER TABLE backoffice.refund_balances ADD CONSTRAINT ck_refund_balances_within_paid
    CHECK (refunded_before + reserved <= paid);
DROP FUNCTION backoffice.open_refund_balance(integer);
DROP FUNCTION backoffice.lock_payment_for_refund(integer);
DROP FUNCTION backoffice.refund_processed_part(numeric, text);
DROP FUNCTION backoffice.refund_pending_part(numeric, text);
DROP FUNCTION backoffice.refund_failed_part(numeric, text, numeric);
"""
