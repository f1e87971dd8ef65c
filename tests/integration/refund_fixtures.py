"""A private demo clinic whose logins act for real (each on its own engine, committing), for refund tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import psycopg
import pytest
from sqlalchemy.engine import Engine

from backoffice.db import UnitOfWork, create_engine
from backoffice.services.login import identify
from backoffice.services.permissions import Actor
from tests.conftest import DEMO_PASSWORDS, DemoDatabase
from tests.pg import libpq_conninfo

T = TypeVar("T")


@dataclass
class Clinic:
    """`clinic.run("demo_finance", request_refund, payment_id=...)`: one unit of work as that login."""

    database: DemoDatabase
    _engines: dict[str, tuple[Engine, Actor]] = field(default_factory=dict)

    def login(self, login: str) -> tuple[Engine, Actor]:
        if login not in self._engines:
            url = self.database.login_url(login, DEMO_PASSWORDS[login])
            engine = create_engine(url, pool_size=25, max_overflow=5)
            self._engines[login] = (engine, identify(engine, url))
        return self._engines[login]

    def actor(self, login: str) -> Actor:
        return self.login(login)[1]

    def run(self, login: str, work: Callable[..., T], **kwargs: Any) -> T:
        engine, actor = self.login(login)
        with UnitOfWork(engine) as uow:
            return work(uow, actor, **kwargs)

    def owner(self) -> psycopg.Connection:
        return psycopg.connect(libpq_conninfo(self.database.owner_url), autocommit=True)

    def sql(self, query: str, *params: object) -> list[tuple]:
        with self.owner() as conn:
            return conn.execute(query, params or None).fetchall()

    def value(self, query: str, *params: object) -> Any:
        rows = self.sql(query, *params)
        return rows[0][0] if rows else None

    def close(self) -> None:
        for engine, _ in self._engines.values():
            engine.dispose()


@pytest.fixture(name="clinic")
def clinic_fixture(demo_clone: DemoDatabase) -> Iterator[Clinic]:
    """A private copy of the tiny demo clinic; import `clinic_fixture` to use it as `clinic`."""
    clinic = Clinic(demo_clone)
    try:
        yield clinic
    finally:
        clinic.close()


UNREFUNDED = """
SELECT p.payment_id FROM public.payments p JOIN public.bookings b USING (booking_id)
WHERE p.refund_amount IS NULL AND p.refund_status IS NULL AND b.refund_status IS NULL
  AND p.currency = %s AND p.amount {op} %s AND b.booking_status = %s
ORDER BY p.payment_id LIMIT 1
"""


def unrefunded_payment(
    clinic: Clinic,
    *,
    above: str | None = None,
    below: str | None = None,
    currency: str = "INR",
    status: str = "confirmed",
) -> int:
    """A payment never refunded, in `currency`, paid more than `above` (or at most `below`)."""
    op, limit = (">", above) if above is not None else ("<=", below)
    found = clinic.value(UNREFUNDED.format(op=op), currency, limit, status)
    assert found is not None, "the demo clinic has no such payment"
    return int(found)
