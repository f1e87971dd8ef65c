"""A provisioned clinic with one login per role and two therapists whose caseloads must stay apart.

Rows are planted by the test itself with known ids, so that every refusal names a real row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from backoffice import migrations
from backoffice.owner.provisioning import provision
from backoffice.owner.provisioning.groups import KINDS
from backoffice.owner.staff_logins import add_staff
from tests.pg import create_database, drop_database, libpq_conninfo, unique_name
from tests.pgbouncer import Route, direct

SEED_DDL = Path(__file__).parents[1] / "sql" / "clinic_seed_ddl.sql"
PASSWORD = "correct-horse-battery"

THERAPIST_A = "T-A"
THERAPIST_B = "T-B"
CLIENT_OF_A = "C-A1"
CLIENT_OF_B = "C-B1"
BOOKING_OF_A = "BK-A1"
BOOKING_OF_B = "BK-B1"

PLANTED_ROWS = f"""
INSERT INTO therapists (therapist_id, name, capacity) VALUES
  ('{THERAPIST_A}', 'Ananya Iyer', 20), ('{THERAPIST_B}', 'Siobhán O''Connor', 20);
INSERT INTO all_clients_table (client_id, client_name, therapist_id, assigned_therapist) VALUES
  ('{CLIENT_OF_A}', 'Zoë D''Souza', '{THERAPIST_A}', 'Ananya Iyer'),
  ('{CLIENT_OF_B}', 'José Álvarez', '{THERAPIST_B}', 'Siobhán O''Connor');
INSERT INTO bookings (booking_id, therapist_id, invitee_name, invitee_question,
                      invitee_payment_amount, booking_start_at) VALUES
  ('{BOOKING_OF_A}', '{THERAPIST_A}', 'Zoë D''Souza', 'feeling low', 1500.00, now()),
  ('{BOOKING_OF_B}', '{THERAPIST_B}', 'José Álvarez', 'panic attacks', 2000.00, now());
INSERT INTO appointment_table (session_id, client_id, therapist_id, session_timings) VALUES
  ('{BOOKING_OF_A}', '{CLIENT_OF_A}', '{THERAPIST_A}', now()),
  ('{BOOKING_OF_B}', '{CLIENT_OF_B}', '{THERAPIST_B}', now());
INSERT INTO client_session_notes (booking_id, client_name, current_risk_level, self_harm_mention)
  VALUES ('{BOOKING_OF_A}', 'Zoë D''Souza', 'low', 'no'),
         ('{BOOKING_OF_B}', 'José Álvarez', 'high', 'yes');
INSERT INTO client_additional_notes (booking_id, therapist_id, note_text) VALUES
  ('{BOOKING_OF_A}', '{THERAPIST_A}', 'prefers evenings'),
  ('{BOOKING_OF_B}', '{THERAPIST_B}', 'safety plan agreed');
INSERT INTO payments (booking_id, amount, currency) VALUES
  ('{BOOKING_OF_A}', 1500.00, 'INR'), ('{BOOKING_OF_B}', 2000.00, 'INR');
INSERT INTO client_transfer_history (client_name, from_therapist_id, to_therapist_id, to_therapist_name)
  VALUES ('José Álvarez', '{THERAPIST_A}', '{THERAPIST_B}', 'Siobhán O''Connor');
"""


@dataclass(frozen=True)
class SecuredClinic:
    owner_url: URL
    logins: dict[str, str]  # "admin", "finance", "therapist_a", "therapist_b" -> login role name
    groups: dict[str, str]  # "admin", "finance", "therapist", "pending" -> this clinic's group
    route: Route = direct  # through PgBouncer when BACKOFFICE_TEST_VIA_PGBOUNCER=1

    def url(self, who: str) -> URL:
        return self.route(self.owner_url.set(username=self.logins[who], password=PASSWORD))

    def connect(self, who: str, **kwargs: object) -> psycopg.Connection:
        # No server-side prepared statements, as the application's own engines (a pooler in
        # transaction mode may run the next statement on another server connection).
        kwargs.setdefault("prepare_threshold", None)
        return psycopg.connect(libpq_conninfo(self.url(who)), **kwargs)  # type: ignore[arg-type]

    def owner(self) -> psycopg.Connection:
        return psycopg.connect(libpq_conninfo(self.owner_url), autocommit=True)


def build_secured_clinic(
    superuser_url: URL, name: str, suffix: str, route: Route = direct
) -> SecuredClinic:
    url = create_database(superuser_url, name)
    with psycopg.connect(libpq_conninfo(url), autocommit=True) as conn:
        conn.execute(SEED_DDL.read_text())
        conn.execute(PLANTED_ROWS)
    logins = {
        "admin": f"sec_admin_{suffix}",
        "finance": f"sec_finance_{suffix}",
        "therapist_a": f"sec_therapist_a_{suffix}",
        "therapist_b": f"sec_therapist_b_{suffix}",
    }
    engine = sa.create_engine(url, poolclass=sa.NullPool, hide_parameters=True)
    with engine.begin() as conn:
        migrations.upgrade(conn)
        groups = provision(conn).groups
        add_staff(conn, username=logins["admin"], role="admin", password=PASSWORD)
        add_staff(conn, username=logins["finance"], role="finance", password=PASSWORD)
        for who, therapist in (("therapist_a", THERAPIST_A), ("therapist_b", THERAPIST_B)):
            add_staff(
                conn,
                username=logins[who],
                role="therapist",
                password=PASSWORD,
                therapist_id=therapist,
            )
    engine.dispose()
    return SecuredClinic(url, logins, {kind: groups.of(kind) for kind in KINDS}, route)


def drop_secured_clinic(superuser_url: URL, clinic: SecuredClinic) -> None:
    drop_database(superuser_url, clinic.owner_url.database or "")
    with psycopg.connect(libpq_conninfo(superuser_url), autocommit=True) as conn:
        for login in clinic.logins.values():
            conn.execute(f'DROP ROLE IF EXISTS "{login}"')


@pytest.fixture(scope="session")
def secured_clinic(pg_superuser_url: URL, login_route: Route) -> Iterator[SecuredClinic]:
    suffix = uuid.uuid4().hex[:6]
    clinic = build_secured_clinic(pg_superuser_url, unique_name("secured"), suffix, login_route)
    try:
        yield clinic
    finally:
        drop_secured_clinic(pg_superuser_url, clinic)
