"""The rules of refunds that need no database: amounts in a currency, reason codes, what the actions
are called and which permission each needs.

The state machine and four eyes are the database's (`backoffice.refund_transitions()` and the
triggers of migrations 0003/0004); `actions` asks it what a refund allows.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Final

from backoffice.errors import ValidationError
from backoffice.services.permissions import Permission
from backoffice.values import currency_decimals

# The refunds table keeps two decimals, so a refund never has more, whatever the currency's own.
STORED_DECIMALS: Final = 2
MAX_AMOUNT: Final = Decimal("9999999999.99")  # numeric(12, 2)

REASON_CODES: Final = {
    "client_cancelled": "The client cancelled",
    "therapist_cancelled": "The therapist cancelled",
    "session_not_held": "The session did not take place",
    "duplicate_payment": "The client paid twice",
    "service_complaint": "A complaint about the session",
    "goodwill": "A goodwill gesture",
    "other": "Another reason (explained in the note)",
}
MAX_NOTE = 2000
MAX_KEY = 100
MAX_REFERENCE = 255

# The actions of `backoffice.refund_transitions()`: the permission each needs (the one matrix)
# and the participle that ends "so it cannot be ..." (tests/integration hold the keys equal).
ACTIONS: Final = {
    "approve": (Permission.APPROVE_REFUNDS, "approved"),
    "reject": (Permission.APPROVE_REFUNDS, "rejected"),
    "complete": (Permission.COMPLETE_REFUNDS, "completed"),
    "fail": (Permission.COMPLETE_REFUNDS, "marked as failed"),
    "retry": (Permission.APPROVE_REFUNDS, "retried"),
}


def parse_amount(value: object, *, currency: str) -> Decimal:
    """A positive Decimal with no more decimals than `currency` allows; ValidationError otherwise.

    Accepts a Decimal, an int or a string ("1500", "1500.50"); never a float, whose binary value
    is not the amount the person typed.
    """
    amount = _as_decimal(value, currency)
    if not amount.is_finite():
        raise ValidationError("The amount must be a number, such as 1500.00.")
    if amount <= 0:
        raise ValidationError("The amount to refund must be more than zero.")
    places = min(currency_decimals(currency), STORED_DECIMALS)
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        allowed = "no decimals" if places == 0 else f"at most {places} decimals"
        raise ValidationError(f"{currency} amounts have {allowed}; {value} has more.")
    if amount > MAX_AMOUNT:
        raise ValidationError(f"{value} is larger than any amount the clinic could refund.")
    return amount.quantize(Decimal(1).scaleb(-places))


# Thousands grouped as the window writes them (2,500,000.50) or the Indian way (25,00,000.50).
_GROUPED = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d{1,2}(,\d{2})*,\d{3})(\.\d+)?$")
_CURRENCY_CODE = re.compile(r"^[A-Za-z]{3}(?=[-\d])")


def _as_decimal(value: object, currency: str) -> Decimal:
    if isinstance(value, bool | float):
        raise ValidationError(
            "The amount must be given exactly, as text or a Decimal, not a float."
        )
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    text = (
        str(value or "").strip().replace(" ", "").replace("_", "").replace("\N{NO-BREAK SPACE}", "")
    )
    named = _CURRENCY_CODE.match(text)  # "INR 2,500.50", as the window writes amounts
    if named:
        if named.group(0).upper() != currency.upper():
            raise ValidationError(f"This payment is in {currency}; {value} names another currency.")
        text = text[named.end() :]
    if not text:
        raise ValidationError("Enter the amount to refund.")
    if "," in text:
        if not _GROUPED.match(text):
            raise ValidationError(
                f"The amount '{value}' puts its commas where no thousands are: write it as "
                "2,500.50 or 2500.50 (a dot before the paise, cents or pence)."
            )
        text = text.replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"The amount '{value}' is not a number.") from None


def check_reason(reason_code: str, note: str | None) -> tuple[str, str | None]:
    """The reason code and the note, tidied; ValidationError for an unknown code or a missing note."""
    code = (reason_code or "").strip()
    if code not in REASON_CODES:
        choices = ", ".join(REASON_CODES)
        raise ValidationError(f"The reason must be one of: {choices}.")
    text = (note or "").strip() or None
    if code == "other" and text is None:
        raise ValidationError("Explain the reason in the note when the reason is 'other'.")
    if text is not None and len(text) > MAX_NOTE:
        raise ValidationError(f"The note is too long: at most {MAX_NOTE} characters.")
    return code, text


def check_idempotency_key(key: str) -> str:
    text = (key or "").strip()
    if not text:
        raise ValidationError("A refund request needs an idempotency key (one per request form).")
    if len(text) > MAX_KEY:
        raise ValidationError(f"The idempotency key is too long: at most {MAX_KEY} characters.")
    return text


def required_text(value: str | None, *, what: str, limit: int = MAX_NOTE) -> str:
    """`value` stripped; ValidationError naming `what` when it is empty or too long."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"Enter {what}.")
    if len(text) > limit:
        raise ValidationError(
            f"{what[0].upper()}{what[1:]} is too long: at most {limit} characters."
        )
    return text
