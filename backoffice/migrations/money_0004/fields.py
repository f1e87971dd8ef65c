"""The clinic's refund fields, written only by two definer functions: no staff role may UPDATE them.

- `write_refund_fields(payment_id)`: the fields the ledger says (`refund_fields_due`) on the
  payment and its booking, in the clinic's wall-clock time. Called by the refund trigger on every
  outcome (so a completion by raw SQL is as consistent as one by the window) and by a repair that
  keeps the ledger; not granted to anyone.
- `repair_refund_fields(payment_id, keep)`: the audited repair of a payment listed in
  `refund_mismatches`: "ledger" when the back-office refunded it, else "payment" or "booking",
  whichever side a person found right. Writes its own audit event, so a repair from `psql` is on
  record as well. Granted to admins and finance.
"""

from backoffice.migrations.money_0004 import CLINIC_TIMEZONE

_NOW = f"CAST(now() AT TIME ZONE '{CLINIC_TIMEZONE}' AS timestamp)"

WRITE = f"""
CREATE FUNCTION backoffice.write_refund_fields(p_payment_id integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    due record;
BEGIN
    SELECT * INTO due FROM backoffice.refund_fields_due d WHERE d.payment_id = p_payment_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the back-office has refunded nothing of payment %', p_payment_id
            USING ERRCODE = 'no_data_found';
    END IF;
    UPDATE public.payments p
    SET refund_amount = due.amount, refund_status = due.status, refund_id = due.refund_id,
        refund_failed_date = due.failed_at,
        refund_initiation_date = coalesce(due.initiated_at, p.refund_initiation_date),
        updated_at = {_NOW}
    WHERE p.payment_id = p_payment_id;
    UPDATE public.bookings b
    SET refund_amount = due.amount, refund_status = due.status, refund_id = due.refund_id,
        refund_failed_time = due.failed_at, booking_updated_at = {_NOW}
    FROM public.payments p
    WHERE p.payment_id = p_payment_id AND b.booking_id = p.booking_id;
END
$$;
"""

_FIELDS_JSON = (
    "jsonb_build_object('amount', {a}, 'status', {s}, 'refund_id', {i}, 'failed_at', {f})"
)
_PAYMENT_JSON = _FIELDS_JSON.format(
    a="m.refund_amount", s="m.refund_status", i="m.refund_id", f="m.refund_failed_date"
)
_BOOKING_JSON = _FIELDS_JSON.format(
    a="m.booking_amount", s="m.booking_status", i="m.booking_refund_id", f="m.booking_failed_at"
)
_AFTER_JSON = _FIELDS_JSON.format(
    a="p.refund_amount", s="p.refund_status", i="p.refund_id", f="p.refund_failed_date"
)

REPAIR = f"""
CREATE FUNCTION backoffice.repair_refund_fields(p_payment_id integer, p_keep text)
RETURNS TABLE (kept_amount numeric, kept_status text, kept_refund_id text, kept_failed_at timestamp)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m record;
    choices text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM backoffice.staff_accounts s WHERE s.login_role = session_user
                   AND s.is_active AND s.role IN ('admin', 'finance')) THEN
        RAISE EXCEPTION 'only an active admin or finance login may repair refund fields'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM 1 FROM public.payments p WHERE p.payment_id = p_payment_id FOR UPDATE;
    SELECT * INTO m FROM backoffice.refund_mismatches x WHERE x.payment_id = p_payment_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the refund fields of payment % already agree', p_payment_id
            USING ERRCODE = 'check_violation';
    END IF;
    choices := CASE WHEN m.in_ledger THEN 'ledger' ELSE 'payment or booking' END;
    IF NOT ((m.in_ledger AND p_keep = 'ledger')
            OR (NOT m.in_ledger AND m.has_booking AND p_keep IN ('payment', 'booking'))) THEN
        RAISE EXCEPTION 'for payment % you can keep: %', p_payment_id, choices
            USING ERRCODE = '22023';
    END IF;
    IF p_keep = 'ledger' THEN
        PERFORM backoffice.write_refund_fields(p_payment_id);
    ELSIF p_keep = 'payment' THEN
        UPDATE public.bookings b
        SET refund_amount = m.refund_amount, refund_status = m.refund_status,
            refund_id = m.refund_id, refund_failed_time = m.refund_failed_date,
            booking_updated_at = {_NOW}
        WHERE b.booking_id = m.booking_id;
    ELSE
        UPDATE public.payments p
        SET refund_amount = m.booking_amount, refund_status = m.booking_status,
            refund_id = m.booking_refund_id, refund_failed_date = m.booking_failed_at,
            updated_at = {_NOW}
        WHERE p.payment_id = p_payment_id;
    END IF;
    INSERT INTO backoffice.audit_events (action, subject_type, subject_id, details)
    SELECT 'refund.mismatch_repaired', 'payment', CAST(p_payment_id AS text),
           jsonb_build_object('kept', p_keep, 'payment_before', {_PAYMENT_JSON},
                              'booking_before', CASE WHEN m.has_booking THEN {_BOOKING_JSON} END,
                              'after', {_AFTER_JSON})
    FROM public.payments p WHERE p.payment_id = p_payment_id;
    RETURN QUERY SELECT p.refund_amount, CAST(p.refund_status AS text), CAST(p.refund_id AS text),
                        p.refund_failed_date
                 FROM public.payments p WHERE p.payment_id = p_payment_id;
END
$$;
"""

DOWNGRADE = """
DROP FUNCTION backoffice.repair_refund_fields(integer, text);
DROP FUNCTION backoffice.write_refund_fields(integer);
"""
