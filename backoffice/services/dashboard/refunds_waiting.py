"""The requested refunds an admin may approve, for their dashboard: all but their own that need a
second person (four eyes, as `backoffice.refund_four_eyes` answers for the refunds panel and the
trigger)."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.services.dashboard.types import Money, RefundsInState

_TO_APPROVE = sa.text("""
SELECT r.currency, count(*) AS n, sum(r.amount) AS total
FROM backoffice.refunds r CROSS JOIN LATERAL backoffice.refund_four_eyes(r.id) f
WHERE r.state = 'requested' AND NOT f.refused_to_session_user
GROUP BY r.currency ORDER BY count(*) DESC, r.currency
""")


def refunds_to_approve(uow: UnitOfWork) -> RefundsInState:
    """How many requested refunds, and how much in each currency, this person may approve."""
    rows = uow.session.execute(_TO_APPROVE).all()
    return RefundsInState(
        "requested",
        sum(int(row.n) for row in rows),
        tuple(Money(row.currency, Decimal(row.total)) for row in rows),
    )
