"""A private demo clinic whose audit trail has events from every door, and plain-psycopg logins."""

from __future__ import annotations

import psycopg
import pytest

from tests.conftest import DEMO_PASSWORDS
from tests.pg import libpq_conninfo

INSERT = (
    "INSERT INTO backoffice.audit_events (action, subject_type, subject_id, details) "
    "VALUES (%s, 'probe', %s, '{\"amount\": \"2500.00\"}')"
)
THERAPIST_BOOKING = """
SELECT b.booking_id FROM public.bookings b
JOIN backoffice.staff_accounts s ON s.therapist_id = b.therapist_id
WHERE s.login_role = 'demo_therapist' ORDER BY b.booking_id LIMIT 1
"""


def login(clinic, who: str) -> psycopg.Connection:
    url = clinic.direct_login_url(who, DEMO_PASSWORDS[who])
    return psycopg.connect(libpq_conninfo(url), autocommit=True, prepare_threshold=None)


def owner(clinic) -> psycopg.Connection:
    return psycopg.connect(libpq_conninfo(clinic.owner_url), autocommit=True)


@pytest.fixture(name="chained")
def chained_fixture(demo_clone):
    """A private demo clinic whose trail has events from plain inserts and definer functions."""
    for number, who in enumerate(("demo_admin", "demo_finance", "demo_therapist", "demo_admin")):
        with login(demo_clone, who) as conn:
            conn.execute(INSERT, (f"probe.{who}", str(number)))
    with owner(demo_clone) as conn:
        booking = conn.execute(THERAPIST_BOOKING).fetchone()
        note = conn.execute("SELECT min(note_id) FROM public.client_session_notes").fetchone()
    assert booking is not None and note is not None
    with login(demo_clone, "demo_therapist") as conn:
        conn.execute("SELECT * FROM backoffice.add_additional_note(%s, 'Called.')", booking)
    with login(demo_clone, "demo_admin") as conn:
        conn.execute("SELECT * FROM backoffice.record_note_opening(ARRAY[%s])", note)
    with login(demo_clone, "demo_finance") as conn:
        conn.execute(INSERT, ("probe.last", "9"))
    return demo_clone
