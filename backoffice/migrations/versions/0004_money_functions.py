"""Money through functions: balances frozen at the first refund, four eyes on a payment's total and
on retries, approval thresholds with their own audited history, the clinic's refund fields written
only by definer functions, and "refunded" / "refundable" defined once in views.

The SQL is in `backoffice.migrations.money_0004` (one module per part, released with this
revision). Nothing here changes the structure of a `public` table; the grants that take UPDATE of
the refund fields away from staff are `db provision`'s (`owner.provisioning.access_matrix`).

Revision ID: 0004_money_functions
Revises: 0006_note_reads_and_chart
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

from backoffice.migrations.money_0004 import approval, balances, fields, views

revision = "0004_money_functions"
down_revision = "0006_note_reads_and_chart"
branch_labels = None
depends_on = None

FUNCTIONS = (
    "backoffice.refund_processed_part(numeric, text)",
    "backoffice.refund_pending_part(numeric, text)",
    "backoffice.refund_failed_part(numeric, text, numeric)",
    "backoffice.open_refund_balance(integer)",
    "backoffice.lock_payment_for_refund(integer)",
    "backoffice.refund_transitions()",
    "backoffice.refund_threshold(text)",
    "backoffice.refund_thresholds_in_force()",
    "backoffice.set_refund_approval_threshold(text, numeric, text)",
    "backoffice.settings_before_change()",
    "backoffice.refund_four_eyes(integer)",
    "backoffice.refund_actions(integer)",
    "backoffice.write_refund_fields(integer)",
    "backoffice.repair_refund_fields(integer, text)",
)


def upgrade() -> None:
    for statement in (
        balances.CLASSIFY,
        balances.COLUMNS,
        balances.EXISTING_ROWS,
        balances.OPEN_BALANCE,
        balances.LOCK_PAYMENT,
        approval.TRANSITIONS,
        approval.THRESHOLDS,
        approval.SET_THRESHOLD,
        approval.SETTINGS_GUARD,
        approval.FOUR_EYES,
        *views.VIEWS,
        fields.WRITE,
        fields.REPAIR,
        balances.AFTER_CHANGE,
        approval.BEFORE_UPDATE,
    ):
        op.execute(statement)
    for signature in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")


def downgrade() -> None:
    previous = _revision_0003()
    for statement in (previous.BEFORE_UPDATE, previous.AFTER_CHANGE):
        op.execute(statement.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))
    for statement in (fields.DOWNGRADE, views.DOWNGRADE, approval.DOWNGRADE, balances.DOWNGRADE):
        op.execute(statement)


def _revision_0003() -> ModuleType:
    """Revision 0003's module (its file name is no Python module name), for its trigger bodies."""
    path = Path(__file__).with_name("0003_refund_rules.py")
    spec = importlib.util.spec_from_file_location("revision_0003_refund_rules", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
