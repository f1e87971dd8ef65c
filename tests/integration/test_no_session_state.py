"""The engines keep nothing in the server session, so that a pooler in transaction mode may run
each transaction on another server connection: the timeout lives and dies with its transaction,
and no statement is ever prepared on the server."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from backoffice.db import UnitOfWork, create_engine
from backoffice.errors import DatabaseUnavailable
from tests.conftest import DEMO_PASSWORDS


@pytest.fixture
def admin_url(demo_database):
    return demo_database.login_url("demo_admin", DEMO_PASSWORDS["demo_admin"])


def test_each_transaction_sets_its_own_timeout_and_it_ends_with_it(admin_url):
    engine = create_engine(admin_url, statement_timeout_ms=1234, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            inside = conn.execute(sa.text("SHOW statement_timeout")).scalar()
            conn.commit()
            conn.execution_options(isolation_level="AUTOCOMMIT")
            outside = conn.execute(sa.text("SHOW statement_timeout")).scalar()
    finally:
        engine.dispose()
    assert inside == "1234ms"
    assert outside != "1234ms"  # the server's (or the login's) own setting


def test_a_statement_over_the_timeout_is_cancelled_with_a_sentence(admin_url):
    engine = create_engine(admin_url, statement_timeout_ms=100, poolclass=sa.NullPool)
    try:
        with pytest.raises(DatabaseUnavailable, match="took too long"), UnitOfWork(engine) as uow:
            uow.session.execute(sa.text("SELECT pg_sleep(2)"))
    finally:
        engine.dispose()


def test_no_statement_is_ever_prepared_on_the_server(admin_url):
    engine = create_engine(admin_url, poolclass=sa.NullPool)
    try:
        with engine.begin() as conn:
            for _ in range(12):  # psycopg would prepare it after five runs
                conn.execute(sa.text("SELECT count(*) FROM public.payments WHERE amount > :a"),
                             {"a": 0})  # fmt: skip
            prepared = conn.execute(sa.text("SELECT count(*) FROM pg_prepared_statements"))
            assert prepared.scalar() == 0
    finally:
        engine.dispose()
