"""Revision 0004_money_functions on a clinic with data: down to the revision before it, money made
under 0003's rules, then `db upgrade` and `db provision` (twice) again. What 0003 recorded is
kept, and read right."""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from backoffice.cli import main
from backoffice.migrations import alembic_config
from tests.integration.refund_fixtures import clinic_fixture  # noqa: F401
from tests.pg import libpq_conninfo

# Under 0003: a custom INR threshold in `settings`; a payment the website refunded 500 of
# ("initiated", never confirmed) with a back-office refund requested on top; one refunded and
# completed by the back-office.
UNDER_0003 = """
UPDATE backoffice.settings SET value = jsonb_set(value, '{{INR}}', '"2500.00"')
WHERE key = 'refunds.approval_threshold';
UPDATE payments SET refund_amount = 500, refund_status = 'initiated', refund_id = 'rfnd_web'
WHERE payment_id = {pending};
UPDATE bookings SET refund_amount = 500, refund_status = 'initiated', refund_id = 'rfnd_web'
WHERE booking_id = (SELECT booking_id FROM payments WHERE payment_id = {pending});
INSERT INTO backoffice.refunds (payment_id, amount, reason_code, idempotency_key)
VALUES ({pending}, 100, 'goodwill', 'old-1'), ({done}, 200, 'goodwill', 'old-2');
UPDATE backoffice.refunds SET state = 'approved' WHERE idempotency_key = 'old-2';
UPDATE backoffice.refunds SET state = 'completed', gateway_reference = 'rfnd_old'
WHERE idempotency_key = 'old-2';
UPDATE payments SET refund_amount = 200, refund_status = 'processed', refund_id = 'rfnd_old'
WHERE payment_id = {done};
UPDATE bookings SET refund_amount = 200, refund_status = 'processed', refund_id = 'rfnd_old'
WHERE booking_id = (SELECT booking_id FROM payments WHERE payment_id = {done});
"""
UNREFUNDED = """
SELECT p.payment_id FROM payments p JOIN bookings b USING (booking_id)
WHERE p.refund_status IS NULL AND b.refund_status IS NULL AND p.currency = 'INR'
  AND p.amount >= 1500 ORDER BY p.payment_id LIMIT 2
"""


def _before_0004() -> str:
    script = ScriptDirectory.from_config(alembic_config())
    down = script.get_revision("0004_money_functions").down_revision
    assert isinstance(down, str)
    return down


def _alembic(url, action, revision: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        action(alembic_config(conn), revision)
    engine.dispose()


@pytest.mark.slow
def test_upgrade_from_0003_with_data_keeps_what_it_recorded_and_provision_is_idempotent(clinic):
    url = clinic.database.owner_url
    _alembic(url, command.downgrade, _before_0004())
    (pending,), (done,) = clinic.sql(UNREFUNDED)
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        conn.execute(UNDER_0003.format(pending=int(pending), done=int(done)))
    url_text = url.render_as_string(hide_password=False)
    assert main(["db", "upgrade", "--url", url_text]) == 0
    assert main(["db", "provision", "--url", url_text]) == 0
    assert main(["db", "provision", "--url", url_text]) == 0

    assert clinic.sql("SELECT key FROM backoffice.settings WHERE key LIKE 'refunds.%%'") == []
    assert clinic.value(
        "SELECT amount FROM backoffice.refund_thresholds_in_force() WHERE currency = 'INR'"
    ) == Decimal("2500.00")
    assert clinic.sql(
        "SELECT paid - refunded - unconfirmed = refundable, refunded, unconfirmed "
        "FROM backoffice.payment_refunds WHERE payment_id IN (%s, %s) ORDER BY payment_id = %s",
        pending,
        done,
        done,
    ) == [(True, 0, 600), (True, 200, 0)]
    assert (
        clinic.value(
            "SELECT count(*) FROM backoffice.refund_mismatches WHERE payment_id IN (%s, %s)",
            pending,
            done,
        )
        == 0
    )
    assert clinic.sql(
        "SELECT outcome, completed_reference FROM backoffice.refund_balances WHERE payment_id = %s",
        done,
    ) == [("completed", "rfnd_old")]
