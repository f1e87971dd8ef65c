"""The checks and the insert of a refund request: its idempotency key, what is left to refund,
and the gateway reference that one refund in the gateway may carry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backoffice.errors import ConflictError, ValidationError
from backoffice.services.refunds.payments import PaymentFacts, Totals
from backoffice.services.refunds.rules import parse_amount
from backoffice.services.refunds.store import refund_result, refunds
from backoffice.services.refunds.types import RefundResult
from backoffice.values import money_text


def refund_by_key(db: Session, key: str) -> Any:
    return db.execute(sa.select(refunds).where(refunds.c.idempotency_key == key)).first()


def replay(db: Session, earlier: Any, *, payment_id: int, amount: object) -> RefundResult:
    """The refund an earlier request with this key made, if this request is the same one."""
    same_amount = (
        amount is None or parse_amount(amount, currency=earlier.currency) == earlier.amount
    )
    if earlier.payment_id != payment_id or not same_amount:
        raise ConflictError(
            f"This request form was already used for refund {earlier.id} (payment "
            f"{earlier.payment_id}, {money_text(earlier.amount, earlier.currency)}); "
            "open a new request to refund again."
        )
    return refund_result(db, earlier.id, replayed=True)


def refund_amount(payment: PaymentFacts, totals: Totals, amount: object) -> Decimal:
    if payment.amount is None or payment.amount <= 0 or not payment.currency:
        raise ValidationError(
            f"Payment {payment.payment_id} has no amount or currency recorded, so it cannot be refunded."
        )
    if not payment.fields_agree:
        raise ConflictError(
            f"The refund fields of payment {payment.payment_id} disagree with its booking's; "
            "repair them under reconciliation before refunding it."
        )
    left = totals.refundable
    if left <= 0:
        raise ConflictError(f"Payment {payment.payment_id} has nothing left to refund.")
    if amount is None:
        return left
    value = parse_amount(amount, currency=payment.currency)
    if value > left:
        raise ValidationError(
            f"At most {money_text(left, payment.currency)} of payment {payment.payment_id} can "
            f"still be refunded; {money_text(value, payment.currency)} is more than that."
        )
    return value


def insert_refund(
    db: Session, *, payment_id: int, amount: Decimal, code: str, note: str | None, key: str
) -> int | None:
    statement = (
        pg_insert(refunds)
        .values(
            payment_id=payment_id, amount=amount, reason_code=code, note=note, idempotency_key=key
        )
        .on_conflict_do_nothing(index_elements=[refunds.c.idempotency_key])
        .returning(refunds.c.id)
    )
    try:
        return db.execute(statement).scalar()
    except IntegrityError as error:
        if "ck_refund_balances_within_paid" in str(error.orig):
            raise ConflictError(
                f"Payment {payment_id} was refunded by someone else meanwhile; "
                "look at it again before refunding more."
            ) from None
        raise


def check_reference_unused(db: Session, refund_id: int, reference: str | None) -> None:
    other = db.execute(
        sa.select(refunds.c.id).where(
            refunds.c.gateway_reference == reference,
            refunds.c.state == "completed",
            refunds.c.id != refund_id,
        )
    ).scalar()
    if other is not None:
        raise ConflictError(
            f"The gateway reference {reference} is already recorded for refund {other}: "
            "one refund in the gateway is recorded once."
        )
