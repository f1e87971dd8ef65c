"""A provisioned clinic with some 1,200 bookings and payments whose sort values repeat and are often NULL.

Built on `build_secured_clinic` (one login per role, two therapists' caseloads); the extra rows are
planted here with known patterns so that keyset paging meets duplicates, NULLs and LIKE wildcards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from backoffice.db import UnitOfWork, create_engine
from backoffice.services.permissions import Actor, Role
from tests.pg import unique_name
from tests.pgbouncer import Route, direct
from tests.security.conftest import (
    THERAPIST_A,
    THERAPIST_B,
    SecuredClinic,
    build_secured_clinic,
    drop_secured_clinic,
)

PLANTED = 1_200
NAMES = ("Asha Rao", "Ben Cohen", "Chloé Martin", "asha rao", "Dev_Patel 100%")

MORE_ROWS = f"""
INSERT INTO bookings (booking_id, therapist_id, invitee_name, invitee_email, booking_status,
                      booking_mode, booking_host_name, booking_start_at, booking_duration,
                      invitee_payment_amount, invitee_payment_currency, invitee_question)
SELECT 'BK-' || lpad(g::text, 5, '0'),
       CASE WHEN g % 3 = 0 THEN '{THERAPIST_B}' ELSE '{THERAPIST_A}' END,
       (ARRAY['Asha Rao', 'Ben Cohen', 'Chloé Martin', 'asha rao', 'Dev_Patel 100%'])[1 + g % 5],
       'client' || (g % 50) || '@example.org',
       (ARRAY['confirmed', 'cancelled', 'completed', NULL])[1 + g % 4],
       CASE WHEN g % 2 = 0 THEN 'online' ELSE 'in person' END,
       CASE WHEN g % 3 = 0 THEN 'Siobhán' ELSE 'Ananya' END,
       CASE WHEN g % 10 = 0 THEN NULL
            ELSE timestamp '2025-01-01 09:00' + (g % 97) * interval '1 day' END,
       CASE WHEN g % 7 = 0 THEN NULL ELSE 30 + (g % 3) * 15 END,
       CASE WHEN g % 11 = 0 THEN NULL ELSE (1000 + (g % 13) * 250)::numeric(10, 2) END,
       'INR', 'question ' || g
FROM generate_series(1, {PLANTED}) AS g;
INSERT INTO bookings (booking_id, therapist_id, invitee_name) VALUES (NULL, '{THERAPIST_A}', 'no id');
INSERT INTO payments (booking_id, invitee_name, invitee_email, amount, currency, payment_date,
                      payment_gateway_name, refund_status, refund_amount)
SELECT booking_id, invitee_name, invitee_email, invitee_payment_amount, 'INR', booking_start_at,
       CASE WHEN right(booking_id, 1) IN ('1', '2') THEN 'razorpay' ELSE 'stripe' END,
       CASE WHEN right(booking_id, 2) = '00' THEN 'processed' END,
       CASE WHEN right(booking_id, 2) = '00' THEN 500.00 END
FROM bookings WHERE booking_id LIKE 'BK-0%';
ANALYZE bookings; ANALYZE payments;
"""


TRIGRAM_INDEX = (
    "CREATE INDEX browse_bookings_name_trgm ON bookings USING gin (invitee_name gin_trgm_ops)"
)


@dataclass(frozen=True)
class BrowseClinic:
    clinic: SecuredClinic
    engines: dict[str, Engine]
    actors: dict[str, Actor]

    def uow(self, who: str) -> UnitOfWork:
        return UnitOfWork(self.engines[who])

    def owner_rows(self, sql: str, **params: object) -> list[tuple]:
        engine = sa.create_engine(
            self.clinic.owner_url, poolclass=sa.NullPool, hide_parameters=True
        )
        try:
            with engine.connect() as conn:
                return [tuple(r) for r in conn.execute(sa.text(sql), params)]
        finally:
            engine.dispose()


def _actors(clinic: SecuredClinic) -> dict[str, Actor]:
    return {
        "admin": Actor(clinic.logins["admin"], Role.ADMIN, "Admin"),
        "finance": Actor(clinic.logins["finance"], Role.FINANCE, "Finance"),
        "therapist_a": Actor(clinic.logins["therapist_a"], Role.THERAPIST, "A", THERAPIST_A),
        "therapist_b": Actor(clinic.logins["therapist_b"], Role.THERAPIST, "B", THERAPIST_B),
    }


def build_browse_clinic(superuser_url: URL, route: Route = direct) -> BrowseClinic:
    suffix = uuid.uuid4().hex[:6]
    clinic = build_secured_clinic(superuser_url, unique_name("browse"), suffix, route)
    with clinic.owner() as conn:
        conn.execute(MORE_ROWS)
        available = conn.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
        ).fetchone()
        if available:  # Debian's server has contrib; the embedded one has not
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            conn.execute(TRIGRAM_INDEX)
    engines = {who: create_engine(clinic.url(who)) for who in clinic.logins}
    return BrowseClinic(clinic, engines, _actors(clinic))


def drop_browse_clinic(superuser_url: URL, browse: BrowseClinic) -> None:
    for engine in browse.engines.values():
        engine.dispose()
    drop_secured_clinic(superuser_url, browse.clinic)


@pytest.fixture(scope="module", name="browse_clinic")
def browse_clinic_fixture(pg_superuser_url: URL, login_route: Route) -> Iterator[BrowseClinic]:
    browse = build_browse_clinic(pg_superuser_url, login_route)
    try:
        yield browse
    finally:
        drop_browse_clinic(pg_superuser_url, browse)
