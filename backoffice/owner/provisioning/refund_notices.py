"""The only notification finance sends: a refund's outcome, to the staff member who asked for it.

Finance holds no INSERT on `public.notifications` (any text to any user would be a phishing vector
inside the product). `backoffice.notify_refund_requester(refund_id, money)` writes the notice
itself: its recipient is the refund's requester (a staff account's website user), its words come
from the refund (state, gateway reference or failure message), and the one thing the caller passes,
the amount as `values.money_text` printed it, must be the refund's own amount and currency. A refund
gets no more notices of an outcome than its ledger has lines of that outcome.
"""

from __future__ import annotations

from backoffice.owner.provisioning.groups import ClinicGroups

FUNCTION = """
CREATE OR REPLACE FUNCTION backoffice.notify_refund_requester(p_refund_id integer, p_money text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r record;
    v_to record;
    v_kind text;
    v_title text;
    v_outcome text;
    v_currency text;
BEGIN
    SELECT f.id, f.state, f.amount, f.currency, f.payment_id, f.booking_id, f.requested_by,
           f.gateway_reference, f.failure_message
    INTO r FROM backoffice.refunds f WHERE f.id = p_refund_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no refund %', p_refund_id USING ERRCODE = 'no_data_found';
    END IF;
    IF r.state = 'completed' THEN
        v_kind := 'refund_completed'; v_title := 'Refund completed';
        v_outcome := format('was completed (%s)', r.gateway_reference);
    ELSIF r.state = 'failed' THEN
        v_kind := 'refund_failed'; v_title := 'Refund failed';
        v_outcome := format('failed: %s', r.failure_message);
    ELSE
        RAISE EXCEPTION 'refund % is %: only a completed or failed refund has a notice', r.id, r.state
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    v_currency := upper(btrim(r.currency));
    IF p_money IS NULL OR p_money !~ ('^' || v_currency || ' [0-9][0-9,]*(\\.[0-9]+)?$')
       OR replace(substr(p_money, length(v_currency) + 2), ',', '')::numeric <> r.amount THEN
        RAISE EXCEPTION 'the amount must be the refund''s own, written as %', v_currency || ' 1,234.00'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT s.user_id, s.role::text AS role INTO v_to FROM backoffice.staff_accounts s
    WHERE s.login_role = r.requested_by AND s.user_id IS NOT NULL;
    IF NOT FOUND OR (SELECT count(*) FROM public.notifications n
                     WHERE n.user_id = v_to.user_id AND n.notification_type = v_kind
                       AND n.message LIKE format('Refund %s of %%', r.id))
                    >= (SELECT count(*) FROM backoffice.refund_events e
                        WHERE e.refund_id = r.id AND e.state = r.state) THEN
        RETURN;  -- nobody to tell, or told already
    END IF;
    INSERT INTO public.notifications (user_id, user_role, notification_type, title, message, related_id)
    VALUES (v_to.user_id, v_to.role, v_kind, v_title,
            format('Refund %s of %s (payment %s) %s.', r.id, p_money, r.payment_id, v_outcome),
            left(coalesce(r.booking_id, r.payment_id::text), 50));
END
$$;
"""

SIGNATURE = "backoffice.notify_refund_requester(integer, text)"


def refund_notice_statements(groups: ClinicGroups) -> list[str]:
    """The function, for the clinic's finance and admin groups (both complete refunds)."""
    return [
        FUNCTION,
        f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {groups.finance}, {groups.admin}",
    ]


__all__ = ["refund_notice_statements"]
