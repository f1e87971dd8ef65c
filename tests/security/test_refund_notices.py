"""#11 item 13: finance may not write a notification of its own (a phishing vector inside the
product: any text, to any user). What finance may send is the refund notice to the staff member who
asked for the refund, composed by the database from the refund itself."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from tests.security.conftest import BOOKING_OF_A, THERAPIST_A

PHISH = (
    "INSERT INTO public.notifications (user_id, user_role, notification_type, title, message) "
    "VALUES (%s, 'therapist', 'security_notice', 'Your password expired', "
    "'Log in again at https://clinic-login.example to keep your account')"
)
NOTIFY = "SELECT backoffice.notify_refund_requester(%s, %s)"


def test_finance_cannot_write_a_notification_of_its_own(secured_clinic):
    with secured_clinic.owner() as owner:
        user = owner.execute("SELECT id FROM users WHERE therapist_id = %s", (THERAPIST_A,))
        user_id = user.fetchone()
    with secured_clinic.connect("finance") as conn, pytest.raises(errors.InsufficientPrivilege):
        conn.execute(PHISH, user_id)


def _completed_refund(conn: psycopg.Connection) -> int:
    row = conn.execute(
        "INSERT INTO backoffice.refunds (payment_id, amount, reason_code, idempotency_key) "
        "SELECT payment_id, 100, 'goodwill', 'sec-notice' FROM public.payments "
        "WHERE booking_id = %s RETURNING id",
        (BOOKING_OF_A,),
    ).fetchone()
    assert row is not None
    conn.execute("UPDATE backoffice.refunds SET state = 'approved' WHERE id = %s", row)
    conn.execute(
        "UPDATE backoffice.refunds SET state = 'completed', gateway_reference = 'rfnd_sec' "
        "WHERE id = %s",
        row,
    )
    return int(row[0])


def test_the_refund_notice_goes_to_its_requester_in_the_databases_words(secured_clinic):
    with secured_clinic.connect("admin") as conn, conn.transaction(force_rollback=True):
        refund = _completed_refund(conn)
        conn.execute(NOTIFY, (refund, "INR 100.00"))
        conn.execute(NOTIFY, (refund, "INR 100.00"))  # once is enough
        told = conn.execute(
            "SELECT u.username, n.title, n.message FROM public.notifications n "
            "JOIN public.users u ON u.id = n.user_id WHERE n.notification_type = 'refund_completed'"
        ).fetchall()
    assert told == [
        (
            secured_clinic.logins["admin"],
            "Refund completed",
            f"Refund {refund} of INR 100.00 (payment 1) was completed (rfnd_sec).",
        )
    ]


@pytest.mark.parametrize("money", ["INR 999.00", "USD 100.00", "INR 100.00. Log in at evil"])
def test_the_refund_notice_refuses_an_amount_that_is_not_the_refunds(secured_clinic, money):
    with secured_clinic.connect("admin") as conn, conn.transaction(force_rollback=True):
        refund = _completed_refund(conn)
        with pytest.raises(errors.InvalidParameterValue):
            conn.execute(NOTIFY, (refund, money))


def test_a_refund_still_requested_has_no_notice(secured_clinic):
    with secured_clinic.connect("finance") as conn, conn.transaction(force_rollback=True):
        row = conn.execute(
            "INSERT INTO backoffice.refunds (payment_id, amount, reason_code, idempotency_key) "
            "SELECT payment_id, 100, 'goodwill', 'sec-early' FROM public.payments "
            "WHERE booking_id = %s RETURNING id",
            (BOOKING_OF_A,),
        ).fetchone()
        with pytest.raises(errors.ObjectNotInPrerequisiteState):
            conn.execute(NOTIFY, (row[0] if row else None, "INR 100.00"))
