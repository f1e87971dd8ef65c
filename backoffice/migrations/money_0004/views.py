""" "Refunded" and "refundable", defined once, and what every figure about refunds reads.

- `payment_refunds`: per payment, what was paid, refunded (confirmed: by the gateway as the
  clinic's own fields record it before the back-office touched the payment, plus the refunds
  completed here), unconfirmed (neither refunded nor refundable: the website's pending refunds and
  the back-office's refunds not yet completed, failed ones included until retried or replaced),
  and refundable. A payment the back-office never refunded is read from its own fields; once it
  did, from the frozen balance (`balances`), whatever the fields say since.
  `failed` is what failed and was not retried (part of unconfirmed).
- `refund_lines`: the same refunded money one line per refund, with the day it was returned.
- `failed_refunds`: the payments with a failed refund, candidates first (a partial index on the
  clinic's failed refund status, and the ledger's balances).
- `refund_fields_due`: what the clinic's refund fields should say according to the ledger; they
  never claim more than was confirmed (two refunds, one still pending, read "processed" for the
  confirmed amount only).
- `refund_mismatches`: payments whose fields disagree with their booking's or with the ledger,
  found from the candidates first (payments and bookings whose refund fields say anything, and
  payments in the ledger), which partial indexes on the clinic's tables make cheap.

The revenue, refunds, ledger and reconciliation reports, the finance dashboard and reconciliation
read these views; nothing else says what "refunded" means.
"""

from backoffice.migrations.money_0004 import CLINIC_TIMEZONE

PAYMENT_REFUNDS = """
CREATE VIEW backoffice.payment_refunds WITH (security_invoker = true) AS
SELECT p.payment_id, p.booking_id, p.payment_date, p.currency, p.payment_gateway_name,
       p.invitee_name, coalesce(b.paid, p.amount) AS paid,
       l.refunded_before, l.refunded_before_at, l.before_reference,
       coalesce(b.completed, 0) AS refunded_here,
       l.refunded_before + coalesce(b.completed, 0) AS refunded,
       l.before_pending + coalesce(b.reserved - b.completed, 0) AS unconfirmed,
       coalesce(b.paid, p.amount, 0) - l.refunded_before - l.before_pending
           - coalesce(b.reserved, 0) AS refundable,
       CASE WHEN b.payment_id IS NULL
            THEN backoffice.refund_failed_part(p.refund_amount, p.refund_status, p.amount)
            ELSE b.failed END AS failed,
       b.payment_id IS NOT NULL AS in_ledger
FROM public.payments p
LEFT JOIN backoffice.refund_balances b ON b.payment_id = p.payment_id
CROSS JOIN LATERAL (
    SELECT CASE WHEN b.payment_id IS NULL
                THEN backoffice.refund_processed_part(p.refund_amount, p.refund_status)
                ELSE b.refunded_before END AS refunded_before,
           CASE WHEN b.payment_id IS NULL
                THEN backoffice.refund_pending_part(p.refund_amount, p.refund_status)
                ELSE b.before_pending END AS before_pending,
           CASE WHEN b.payment_id IS NULL THEN p.refund_initiation_date
                ELSE b.before_initiated_at END AS refunded_before_at,
           CAST(CASE WHEN b.payment_id IS NULL THEN p.refund_id
                     ELSE b.before_refund_id END AS text) AS before_reference
) l;
"""

REFUND_LINES = f"""
CREATE VIEW backoffice.refund_lines WITH (security_invoker = true) AS
SELECT pr.payment_id, CAST(pr.currency AS text) AS currency, pr.refunded_before_at AS refunded_at,
       pr.before_reference AS reference, pr.refunded_before AS amount,
       CAST(NULL AS integer) AS refund_id
FROM backoffice.payment_refunds pr WHERE pr.refunded_before > 0
UNION ALL
SELECT r.payment_id, CAST(r.currency AS text),
       CAST(r.completed_at AT TIME ZONE '{CLINIC_TIMEZONE}' AS timestamp),
       CAST(r.gateway_reference AS text), r.amount, r.id
FROM backoffice.refunds r WHERE r.state = 'completed';
"""

FIELDS_DUE = f"""
CREATE VIEW backoffice.refund_fields_due WITH (security_invoker = true) AS
SELECT b.payment_id,
       CASE WHEN b.outcome IS NULL THEN b.before_amount
            WHEN b.outcome = 'failed' AND pr.refunded = 0 AND b.before_amount IS NULL THEN NULL
            ELSE pr.refunded END AS amount,
       CAST(CASE WHEN b.outcome IS NULL THEN b.before_status
                 WHEN b.outcome = 'completed' THEN 'processed' ELSE 'failed' END AS text) AS status,
       CAST(CASE WHEN b.outcome IS NULL THEN b.before_refund_id
                 ELSE coalesce(b.outcome_reference, b.completed_reference, b.before_refund_id)
            END AS text) AS refund_id,
       CASE WHEN b.outcome IS NULL THEN b.before_failed_at
            WHEN b.outcome = 'failed'
            THEN CAST(b.outcome_at AT TIME ZONE '{CLINIC_TIMEZONE}' AS timestamp) END AS failed_at,
       CASE WHEN b.outcome = 'completed'
            THEN CAST(b.outcome_at AT TIME ZONE '{CLINIC_TIMEZONE}' AS timestamp) END AS initiated_at
FROM backoffice.refund_balances b
JOIN backoffice.payment_refunds pr ON pr.payment_id = b.payment_id;
"""

_SAYS_SOMETHING = """(
    {t}.refund_amount IS NOT NULL OR {t}.refund_status IS NOT NULL OR {t}.refund_id IS NOT NULL
    OR {t}.{failed} IS NOT NULL)"""
PAYMENT_SAYS_SOMETHING = _SAYS_SOMETHING.format(t="p", failed="refund_failed_date")
BOOKING_SAYS_SOMETHING = _SAYS_SOMETHING.format(t="b", failed="refund_failed_time")

MISMATCHES = f"""
CREATE VIEW backoffice.refund_mismatches WITH (security_invoker = true) AS
WITH candidates AS (
    SELECT p.payment_id FROM public.payments p WHERE {PAYMENT_SAYS_SOMETHING}
    UNION
    SELECT p.payment_id FROM public.bookings b JOIN public.payments p ON p.booking_id = b.booking_id
    WHERE {BOOKING_SAYS_SOMETHING}
    UNION
    SELECT d.payment_id FROM backoffice.refund_balances d
), compared AS (
    SELECT p.payment_id, p.booking_id, p.payment_date, p.currency, p.amount AS paid,
           p.refund_amount, p.refund_status, p.refund_id, p.refund_failed_date,
           b.booking_id IS NOT NULL AS has_booking, b.refund_amount AS booking_amount,
           b.refund_status AS booking_status, b.refund_id AS booking_refund_id,
           b.refund_failed_time AS booking_failed_at,
           d.payment_id IS NOT NULL AS in_ledger, d.amount AS ledger_amount,
           d.status AS ledger_status, d.refund_id AS ledger_refund_id,
           d.failed_at AS ledger_failed_at,
           b.booking_id IS NOT NULL
               AND (p.refund_amount, p.refund_status, p.refund_id, p.refund_failed_date)
                   IS DISTINCT FROM
                   (b.refund_amount, b.refund_status, b.refund_id, b.refund_failed_time)
               AS booking_differs,
           d.payment_id IS NOT NULL
               AND (p.refund_amount, CAST(p.refund_status AS text), CAST(p.refund_id AS text))
                   IS DISTINCT FROM (d.amount, d.status, d.refund_id) AS ledger_differs
    FROM candidates c
    JOIN public.payments p ON p.payment_id = c.payment_id
    LEFT JOIN public.bookings b ON b.booking_id = p.booking_id
    LEFT JOIN backoffice.refund_fields_due d ON d.payment_id = p.payment_id
)
SELECT * FROM compared WHERE booking_differs OR ledger_differs;
"""

FAILED = """
CREATE VIEW backoffice.failed_refunds WITH (security_invoker = true) AS
SELECT pr.* FROM backoffice.payment_refunds pr
WHERE pr.failed > 0 AND pr.payment_id IN (
    SELECT p.payment_id FROM public.payments p WHERE lower(btrim(p.refund_status)) = 'failed'
    UNION
    SELECT b.payment_id FROM backoffice.refund_balances b WHERE b.failed > 0);
"""

VIEWS = (PAYMENT_REFUNDS, REFUND_LINES, FIELDS_DUE, MISMATCHES, FAILED)
DOWNGRADE = """
DROP VIEW backoffice.failed_refunds;
DROP VIEW backoffice.refund_mismatches;
DROP VIEW backoffice.refund_fields_due;
DROP VIEW backoffice.refund_lines;
DROP VIEW backoffice.payment_refunds;
"""
