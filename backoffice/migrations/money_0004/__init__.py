"""The SQL of revision 0004_money_functions, in parts: released with that revision, never edited after.

- `balances`: what a payment had refunded before the back-office touched it, frozen in
  `refund_balances` when its first refund is requested (never read again from columns people can
  edit), and the triggers that keep the balance and the ledger.
- `approval`: the state machine as one table-valued function, approval thresholds with their own
  history (a change is in force from the next transaction on, and audited), four eyes counted on
  the payment's refunds in total, retries included, and `refund_actions` for the window.
- `fields`: the refund fields the clinic's two tables should show according to the ledger, the one
  function that writes them and the audited repair.
- `views`: "refunded" and "refundable" defined once (`payment_refunds`), the refunds one line each
  (`refund_lines`) and the payments whose refund fields disagree (`refund_mismatches`).
"""

# The clinic's wall-clock zone, for the clinic's `timestamp` columns. A revision is a snapshot and
# may not import the services; tests/unit/test_money_revision.py holds it equal to services.clock.
CLINIC_TIMEZONE = "Asia/Kolkata"
