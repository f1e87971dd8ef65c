"""The demo clinic's back-office refunds, made by the demo logins through the refund triggers.

Each step is one statement run as the login who would take it (`SET LOCAL SESSION AUTHORIZATION`,
so `session_user` is theirs): demo_finance requests, demo_admin approves or rejects, demo_finance
completes or records a failure. The triggers of migrations 0003/0004 check every change, write
every ledger line and the clinic's refund fields, exactly as for a person, so the demo holds no
figure the application could not have made. Chosen deterministically among the payments nobody
refunded yet: of every twenty refunds two stay requested, one approved, one is rejected, one
fails and fifteen are completed; a fifth of them refund half the payment.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.engine import Connection

FINANCE, ADMIN = "demo_finance", "demo_admin"

_REQUEST = text("""
INSERT INTO backoffice.refunds (payment_id, amount, reason_code, note, idempotency_key)
SELECT p.payment_id,
       CASE WHEN p.payment_id % 5 = 0 THEN round(p.amount / 2, 2) ELSE p.amount END,
       (ARRAY['client_cancelled', 'therapist_cancelled', 'session_not_held',
              'duplicate_payment', 'goodwill'])[1 + p.payment_id % 5],
       NULL, 'demo-refund-' || p.payment_id
FROM public.payments p JOIN public.bookings b ON b.booking_id = p.booking_id
WHERE p.refund_amount IS NULL AND p.refund_status IS NULL AND p.refund_id IS NULL
  AND b.refund_amount IS NULL AND b.refund_status IS NULL AND b.refund_id IS NULL
  AND p.amount > 0 AND p.currency IS NOT NULL
ORDER BY md5(CAST(p.payment_id AS text))
LIMIT :count
""")
# (login, statement): each refund's fate follows from its id (id % 20).
_STEPS: tuple[tuple[str, str], ...] = (
    (
        ADMIN,
        "UPDATE backoffice.refunds SET state = 'rejected' WHERE state = 'requested' AND id % 20 = 2",
    ),
    (
        ADMIN,
        "UPDATE backoffice.refunds SET state = 'approved' WHERE state = 'requested' AND id % 20 > 2",
    ),
    (
        FINANCE,
        "UPDATE backoffice.refunds SET state = 'failed', "
        "failure_message = 'The bank declined the refund: account closed.' "
        "WHERE state = 'approved' AND id % 20 = 3",
    ),
    (
        FINANCE,
        "UPDATE backoffice.refunds SET state = 'completed', "
        "gateway_reference = 'rfnd_demo_' || lpad(CAST(id AS text), 8, '0') "
        "WHERE state = 'approved' AND id % 20 > 4",
    ),
)


def add_back_office_refunds(
    conn: Connection, count: int, progress: Callable[[str], None] = print
) -> None:
    """Make `count` refunds as the demo logins would (in the caller's transaction)."""
    if count <= 0:
        return
    progress(f"Making {count:,} back-office refunds as the demo logins...")
    _as(conn, FINANCE)
    conn.execute(_REQUEST, {"count": count})
    for login, statement in _STEPS:
        _as(conn, login)
        conn.execute(text(statement))
    conn.execute(text("RESET SESSION AUTHORIZATION"))


def _as(conn: Connection, login: str) -> None:
    conn.exec_driver_sql(f'SET LOCAL SESSION AUTHORIZATION "{login}"')
