"""What a refund changes in the clinic's own tables besides the refund fields: the cancelled session,
the `refund_cancellation_table` row and the notification to the person who asked for the refund."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.errors import ValidationError
from backoffice.models.clinic_bookings import BookingCancellation, RefundCancellation
from backoffice.models.clinic_people import Client
from backoffice.services.clock import clinic_timestamp
from backoffice.services.orm_tables import table_of
from backoffice.services.refunds.payments import PaymentFacts, bookings
from backoffice.services.refunds.rules import REASON_CODES
from backoffice.values import money_text

# The notice is written by the database from the refund itself (finance may not write
# notifications): only the amount, as the one formatter prints it, is passed and checked there.
_NOTIFY = sa.text("SELECT backoffice.notify_refund_requester(:refund_id, :money)")
# A session in one of these states already took place: cancelling it would rewrite history.
_HELD = ("completed", "no_show")


def check_cancellable(payment: PaymentFacts) -> bool:
    """True when the session can be cancelled, False when it already is; ValidationError otherwise."""
    if payment.booking is None:
        raise ValidationError(
            f"Payment {payment.payment_id} has no booking, so there is no session to cancel."
        )
    status = (payment.booking_status or "").lower()
    if status == "cancelled":
        return False
    if status in _HELD:
        raise ValidationError(
            f"Session {payment.booking_id} already took place ({status}), so it cannot be "
            "cancelled; request the refund without cancelling it."
        )
    return True


def mark_session_cancelled(
    db: Session, payment: PaymentFacts, *, reason_code: str, note: str | None
) -> None:
    """Mark the booking cancelled and add the `booking_cancelled` row, as the booking site does."""
    by = "invitee" if reason_code == "client_cancelled" else "host"
    reason = REASON_CODES[reason_code] + (f": {note}" if note else "")
    _cancel_booking(db, payment, by=by, reason=reason)
    _add_booking_cancellation_row(db, payment, by=by, reason=reason)


def _cancel_booking(db: Session, payment: PaymentFacts, *, by: str, reason: str) -> None:
    invitee = by == "invitee"
    db.execute(
        sa.update(bookings)
        .where(bookings.c.booking_id == payment.booking_id)
        .values(
            booking_status="cancelled",
            invitee_status="cancelled",
            booking_cancelled_by=by,
            booking_cancel_reason=reason,
            booking_updated_at=clinic_timestamp(),
            invitee_cancelled_at=clinic_timestamp() if invitee else bookings.c.invitee_cancelled_at,
            invitee_cancelled_reason=reason if invitee else bookings.c.invitee_cancelled_reason,
        )
    )


def _add_booking_cancellation_row(
    db: Session, payment: PaymentFacts, *, by: str, reason: str
) -> None:
    db.execute(
        sa.insert(table_of(BookingCancellation)).values(
            booking_id=payment.booking_id,
            invitee_id=payment.client_id,
            invitee_name=payment.client_name,
            invitee_number=payment.client_phone,
            invitee_email=payment.client_email,
            cancelled_at=clinic_timestamp(),
            cancelled_by=by,
            cancel_reason=reason,
        )
    )


def add_refund_cancellation_row(
    db: Session, payment: PaymentFacts, *, status: str, refund_reference: str | None
) -> None:
    """The clinic's refund/cancellation register. Its `session_id` must also be an appointment
    (a second foreign key), which finance cannot look up: without one, it is left empty."""
    table = table_of(RefundCancellation)
    values: dict[str, Any] = {
        "client_id": _known_client(db, payment.client_id),
        "client_name": payment.client_name,
        "session_id": payment.booking_id,
        "session_name": payment.session_name,
        "session_timings": payment.session_start,
        "payment_id": str(payment.payment_id),
        "refund_status": status,
        "refund_id": refund_reference,
    }
    try:
        with db.begin_nested():
            db.execute(sa.insert(table).values(values))
    except IntegrityError:
        db.execute(sa.insert(table).values({**values, "session_id": None}))


def _known_client(db: Session, client_id: str | None) -> str | None:
    if client_id is None:
        return None
    clients = table_of(Client)
    found = db.execute(
        sa.select(clients.c.client_id).where(clients.c.client_id == client_id)
    ).first()
    return client_id if found else None


def notify_requester(db: Session, refund: Any) -> None:
    """Tell the person who asked for the refund how it ended (nothing if they have no user row)."""
    db.execute(
        _NOTIFY, {"refund_id": refund.id, "money": money_text(refund.amount, refund.currency)}
    )
