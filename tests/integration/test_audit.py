"""Audit events are written in the workflow's transaction and name the login that acted."""

from __future__ import annotations

import psycopg
import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.services.audit import record
from tests.pg import libpq_conninfo


def test_an_audit_event_names_the_login_and_commits_or_rolls_back_with_its_transaction(demo_clone):
    engine = sa.create_engine(
        demo_clone.login_url("demo_finance", "demo-finance-pass"), hide_parameters=True
    )
    try:
        with UnitOfWork(engine) as uow:
            record(uow, "probe.rolled_back", subject_type="probe", subject_id=1)
        with UnitOfWork(engine) as uow:
            record(
                uow, "probe.kept", subject_type="probe", subject_id=2, details={"amount": "12.50"}
            )
            uow.commit()
    finally:
        engine.dispose()

    with psycopg.connect(libpq_conninfo(demo_clone.owner_url)) as owner:
        rows = owner.execute(
            "SELECT action, actor, subject_id, details FROM backoffice.audit_events "
            "WHERE subject_type = 'probe'"
        ).fetchall()
    assert rows == [("probe.kept", "demo_finance", "2", {"amount": "12.50"})]
