"""Refund rules without a database: amounts in a currency, reasons, keys, the dashboard gateway.

The state machine and four eyes are the database's: tests/integration/test_refund_actions.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.errors import ValidationError
from backoffice.services.refunds.gateway import DashboardGateway, GatewayRefundOrder
from backoffice.services.refunds.rules import check_idempotency_key, check_reason, parse_amount


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        ("1500", "INR", Decimal("1500.00")),
        ("1500.5", "INR", Decimal("1500.50")),
        (" 1 500.25 ", "INR", Decimal("1500.25")),
        (Decimal("0.01"), "USD", Decimal("0.01")),
        (12, "GBP", Decimal("12.00")),
        ("1500.000", "INR", Decimal("1500.00")),  # trailing zeros are not extra decimals
        ("1500", "JPY", Decimal("1500")),
        ("2,500.50", "INR", Decimal("2500.50")),  # as the window writes amounts
        ("INR 2,500.50", "INR", Decimal("2500.50")),
        ("2,50,000", "INR", Decimal("250000.00")),  # grouped the Indian way
        ("1,234,567.8", "USD", Decimal("1234567.80")),
    ],
)
def test_an_amount_becomes_an_exact_decimal_in_the_currencys_places(value, currency, expected):
    parsed = parse_amount(value, currency=currency)
    assert parsed == expected
    assert isinstance(parsed, Decimal)
    assert parsed.as_tuple().exponent == expected.as_tuple().exponent


@pytest.mark.parametrize(
    ("value", "currency", "sentence"),
    [
        ("10.005", "INR", "INR amounts have at most 2 decimals; 10.005 has more."),
        ("100.5", "JPY", "JPY amounts have no decimals; 100.5 has more."),
        ("-5", "INR", "The amount to refund must be more than zero."),
        ("0", "INR", "The amount to refund must be more than zero."),
        ("0.00", "INR", "The amount to refund must be more than zero."),
        ("abc", "INR", "The amount 'abc' is not a number."),
        ("", "INR", "Enter the amount to refund."),
        ("NaN", "INR", "The amount must be a number, such as 1500.00."),
        ("Infinity", "INR", "The amount must be a number, such as 1500.00."),
        (
            "2,50",
            "INR",
            "The amount '2,50' puts its commas where no thousands are: write it as 2,500.50 or "
            "2500.50 (a dot before the paise, cents or pence).",
        ),
        (
            "1,5000",
            "INR",
            "The amount '1,5000' puts its commas where no thousands are: write it "
            "as 2,500.50 or 2500.50 (a dot before the paise, cents or pence).",
        ),
        ("USD 40", "INR", "This payment is in INR; USD 40 names another currency."),
        (12.5, "INR", "The amount must be given exactly, as text or a Decimal, not a float."),
        ("10000000000", "INR", "10000000000 is larger than any amount the clinic could refund."),
    ],
)
def test_a_bad_amount_is_refused_with_a_sentence(value, currency, sentence):
    with pytest.raises(ValidationError) as refused:
        parse_amount(value, currency=currency)
    assert str(refused.value) == sentence


def test_a_refund_never_has_more_decimals_than_the_refunds_table_keeps():
    with pytest.raises(ValidationError, match="KWD amounts have at most 2 decimals"):
        parse_amount("1.125", currency="KWD")


def test_a_reason_is_a_known_code_and_other_needs_a_note():
    assert check_reason("goodwill", "  ") == ("goodwill", None)
    assert check_reason("other", " explained ") == ("other", "explained")
    with pytest.raises(ValidationError, match="one of"):
        check_reason("because", None)
    with pytest.raises(ValidationError, match="Explain the reason"):
        check_reason("other", "")


def test_a_request_needs_an_idempotency_key():
    assert check_idempotency_key(" form-1 ") == "form-1"
    with pytest.raises(ValidationError):
        check_idempotency_key("")
    with pytest.raises(ValidationError):
        check_idempotency_key("k" * 101)


def _order(reference: str | None) -> GatewayRefundOrder:
    return GatewayRefundOrder(1, "pay_x", "Razorpay", Decimal("10.00"), "INR", "key", reference)


def test_the_dashboard_gateway_records_the_reference_a_person_typed():
    outcome = DashboardGateway().refund(_order(" rfnd_ABC123 "))
    assert (outcome.succeeded, outcome.reference) == (True, "rfnd_ABC123")
    for bad in (None, "", "two words", "x" * 256):
        with pytest.raises(ValidationError):
            DashboardGateway().refund(_order(bad))
