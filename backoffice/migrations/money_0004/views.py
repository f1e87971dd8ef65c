""" "Refunded" and "refundable", defined once, and what every figure about refunds reads.

- `ledger_refunds`: a payment the back-office refunded, its figures from its frozen balance
  (`balances`); the one definition for those payments, which the others read.
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
  payments in the ledger), which partial covering indexes on the clinic's tables make cheap.

The revenue, refunds, ledger and reconciliation reports, the finance dashboard and reconciliation
read these views; nothing else says what "refunded" means.
"""

from backoffice.migrations.money_0004 import CLINIC_TIMEZONE

# A payment the back-office has refunded: its figures from its frozen balance, whatever its own
# fields say since. The one place that says so; `payment_refunds` and `refund_fields_due` read it.
LEDGER_REFUNDS = """
CREATE VIEW backoffice.ledger_refunds WITH (security_invoker = true) AS
SELECT b.payment_id, b.currency, b.paid, b.refunded_before, b.before_pending,
       b.before_initiated_at AS refunded_before_at, CAST(b.before_refund_id AS text) AS before_reference,
       b.completed AS refunded_here, b.refunded_before + b.completed AS refunded,
       b.before_pending + b.reserved - b.completed AS unconfirmed,
       b.paid - b.refunded_before - b.before_pending - b.reserved AS refundable, b.failed,
       b.before_amount, b.before_status, b.before_refund_id, b.before_failed_at,
       b.outcome, b.outcome_at, b.outcome_reference, b.completed_reference
FROM backoffice.refund_balances b;
"""

# Every payment: the ledger's figures once the back-office refunded it, else its own fields read
# by the classification of `balances` (processed, pending, failed).
PAYMENT_REFUNDS = """
CREATE VIEW backoffice.payment_refunds WITH (security_invoker = true) AS
SELECT p.payment_id, p.booking_id, p.payment_date, p.currency, p.payment_gateway_name,
       p.invitee_name, coalesce(l.paid, p.amount) AS paid,
       coalesce(l.refunded_before, f.processed) AS refunded_before,
       CASE WHEN l.payment_id IS NULL THEN p.refund_initiation_date
            ELSE l.refunded_before_at END AS refunded_before_at,
       CASE WHEN l.payment_id IS NULL THEN CAST(p.refund_id AS text)
            ELSE l.before_reference END AS before_reference,
       coalesce(l.refunded_here, 0) AS refunded_here,
       coalesce(l.refunded, f.processed) AS refunded,
       coalesce(l.unconfirmed, f.pending) AS unconfirmed,
       coalesce(l.refundable, coalesce(p.amount, 0) - f.processed - f.pending) AS refundable,
       coalesce(l.failed, f.failed) AS failed,
       l.payment_id IS NOT NULL AS in_ledger
FROM public.payments p
LEFT JOIN backoffice.ledger_refunds l ON l.payment_id = p.payment_id
CROSS JOIN LATERAL (
    SELECT backoffice.refund_processed_part(p.refund_amount, p.refund_status) AS processed,
           backoffice.refund_pending_part(p.refund_amount, p.refund_status) AS pending,
           backoffice.refund_failed_part(p.refund_amount, p.refund_status, p.amount) AS failed
) f;
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
SELECT l.payment_id,
       CASE WHEN l.outcome IS NULL THEN l.before_amount
            WHEN l.outcome = 'failed' AND l.refunded = 0 AND l.before_amount IS NULL THEN NULL
            ELSE l.refunded END AS amount,
       CAST(CASE WHEN l.outcome IS NULL THEN l.before_status
                 WHEN l.outcome = 'completed' THEN 'processed' ELSE 'failed' END AS text) AS status,
       CAST(CASE WHEN l.outcome IS NULL THEN l.before_refund_id
                 ELSE coalesce(l.outcome_reference, l.completed_reference, l.before_refund_id)
            END AS text) AS refund_id,
       CASE WHEN l.outcome IS NULL THEN l.before_failed_at
            WHEN l.outcome = 'failed'
            THEN CAST(l.outcome_at AT TIME ZONE '{CLINIC_TIMEZONE}' AS timestamp) END AS failed_at,
       CASE WHEN l.outcome = 'completed'
            THEN CAST(l.outcome_at AT TIME ZONE '{CLINIC_TIMEZONE}' AS timestamp) END AS initiated_at
FROM backoffice.ledger_refunds l;
"""

_SAYS_SOMETHING = """(
    {t}.refund_amount IS NOT NULL OR {t}.refund_status IS NOT NULL OR {t}.refund_id IS NOT NULL
    OR {t}.{failed} IS NOT NULL)"""
PAYMENT_SAYS_SOMETHING = _SAYS_SOMETHING.format(t="p", failed="refund_failed_date")
BOOKING_SAYS_SOMETHING = _SAYS_SOMETHING.format(t="b", failed="refund_failed_time")

_PAY_FIELDS = "refund_amount, refund_status, refund_id, refund_failed_date"
_BOOK_FIELDS = "refund_amount, refund_status, refund_id, refund_failed_time"


def _fields(table: str, fields: str) -> str:
    return ", ".join(f"{table}.{f.strip()}" for f in fields.split(","))


# Candidates first: the payments and the bookings whose refund fields say anything (each read from
# its partial index alone), compared with each other and with the ledger; only the few payments
# that disagree are then looked up whole.
MISMATCHES = f"""
CREATE VIEW backoffice.refund_mismatches WITH (security_invoker = true) AS
WITH pay AS NOT MATERIALIZED (
    SELECT p.payment_id, p.booking_id, {_fields("p", _PAY_FIELDS)}
    FROM public.payments p WHERE {PAYMENT_SAYS_SOMETHING}
), book AS NOT MATERIALIZED (
    SELECT b.booking_id, {_fields("b", _BOOK_FIELDS)}
    FROM public.bookings b WHERE {BOOKING_SAYS_SOMETHING}
), pairs AS (
    SELECT pay.payment_id, pay.booking_id AS paid_for, book.booking_id AS booked
    FROM pay FULL JOIN book ON book.booking_id = pay.booking_id
    WHERE ({_fields("pay", _PAY_FIELDS)}) IS DISTINCT FROM ({_fields("book", _BOOK_FIELDS)})
), differs AS (
    SELECT pairs.payment_id FROM pairs
    WHERE pairs.payment_id IS NOT NULL AND pairs.booked IS NOT NULL
    UNION ALL
    SELECT pairs.payment_id FROM pairs
    JOIN LATERAL (SELECT 1 FROM public.bookings b WHERE b.booking_id = pairs.paid_for OFFSET 0) b
        ON true
    WHERE pairs.booked IS NULL
    UNION ALL
    SELECT p.payment_id FROM pairs
    JOIN LATERAL (SELECT p.payment_id FROM public.payments p
                  WHERE p.booking_id = pairs.booked OFFSET 0) p ON true
    WHERE pairs.payment_id IS NULL
    UNION ALL
    SELECT d.payment_id FROM backoffice.refund_fields_due d
    LEFT JOIN pay ON pay.payment_id = d.payment_id
    WHERE (pay.refund_amount, CAST(pay.refund_status AS text), CAST(pay.refund_id AS text))
          IS DISTINCT FROM (d.amount, d.status, d.refund_id)
), candidates AS (
    SELECT DISTINCT payment_id FROM differs
)
SELECT p.payment_id, p.booking_id, p.payment_date, p.currency, p.amount AS paid,
       {_fields("p", _PAY_FIELDS)},
       b.booking_id IS NOT NULL AS has_booking, b.refund_amount AS booking_amount,
       b.refund_status AS booking_status, b.refund_id AS booking_refund_id,
       b.refund_failed_time AS booking_failed_at,
       d.payment_id IS NOT NULL AS in_ledger, d.amount AS ledger_amount,
       d.status AS ledger_status, d.refund_id AS ledger_refund_id, d.failed_at AS ledger_failed_at,
       b.booking_id IS NOT NULL
           AND ({_fields("p", _PAY_FIELDS)}) IS DISTINCT FROM ({_fields("b", _BOOK_FIELDS)})
           AS booking_differs,
       d.payment_id IS NOT NULL
           AND (p.refund_amount, CAST(p.refund_status AS text), CAST(p.refund_id AS text))
               IS DISTINCT FROM (d.amount, d.status, d.refund_id) AS ledger_differs
FROM candidates c
JOIN public.payments p ON p.payment_id = c.payment_id
LEFT JOIN public.bookings b ON b.booking_id = p.booking_id
LEFT JOIN backoffice.refund_fields_due d ON d.payment_id = p.payment_id;
"""

# The same `failed` as `payment_refunds` (the ledger's, else the classification of the payment's
# own fields), read from its candidates: the balances with a failed refund, and the payments whose
# own status says failed (a partial covering index) that the back-office never refunded.
FAILED = """
CREATE VIEW backoffice.failed_refunds WITH (security_invoker = true) AS
SELECT l.payment_id, CAST(l.currency AS text) AS currency, l.failed
FROM backoffice.ledger_refunds l WHERE l.failed > 0
UNION ALL
SELECT p.payment_id, CAST(p.currency AS text),
       backoffice.refund_failed_part(p.refund_amount, p.refund_status, p.amount)
FROM public.payments p
WHERE lower(btrim(p.refund_status)) = 'failed'
  AND NOT EXISTS (SELECT 1 FROM backoffice.refund_balances b WHERE b.payment_id = p.payment_id);
"""

VIEWS = (LEDGER_REFUNDS, PAYMENT_REFUNDS, REFUND_LINES, FIELDS_DUE, MISMATCHES, FAILED)
DOWNGRADE = """
DROP VIEW backoffice.failed_refunds;
DROP VIEW backoffice.refund_mismatches;
DROP VIEW backoffice.refund_fields_due;
DROP VIEW backoffice.refund_lines;
DROP VIEW backoffice.payment_refunds;
DROP VIEW backoffice.ledger_refunds;
"""
