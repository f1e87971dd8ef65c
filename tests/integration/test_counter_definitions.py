"""#14 item 5: `therapists.sessions_booked` is a counter whose meaning the back-office can only
guess. The consistency check reports it with the stored value, what the bookings give and how that
was counted, and rewrites it only once an admin chose what it counts (remembered in
`backoffice.settings`, audited). Runs on a private clone of the demo clinic, whose own choice
("bookings not cancelled", made by the demo build) is taken away first.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from backoffice.db import UnitOfWork
from backoffice.errors import PermissionDenied, ValidationError
from backoffice.services import therapists
from tests.integration.transfer_fixtures import actor_of, admin_engine, owner

THERAPIST = "58007"
KEY = f"counter_differs:{THERAPIST}:sessions_booked"
ALL = f"(SELECT count(*) FROM bookings WHERE therapist_id = '{THERAPIST}')"


def _unchosen(db, stored_sql: str) -> None:
    with owner(db) as conn:
        conn.execute(
            "DELETE FROM backoffice.settings WHERE key = 'therapists.sessions_booked_counts'"
        )
        conn.execute(
            f"UPDATE therapists SET sessions_booked = {stored_sql} WHERE therapist_id = %s",
            (THERAPIST,),
        )


def _stored_and_all(db) -> tuple[int, int]:
    with owner(db) as conn:
        row = conn.execute(
            f"SELECT sessions_booked, {ALL} FROM therapists WHERE therapist_id = %s", (THERAPIST,)
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _issues(engine, actor):
    with UnitOfWork(engine) as uow:
        return {i.key: i for i in therapists.check_consistency(uow, actor).issues}


def test_a_counter_that_counts_every_booking_is_neither_reported_nor_rewritten(demo_clone):
    _unchosen(demo_clone, ALL)  # this clinic counts cancelled bookings too (271 for T1000)
    actor = actor_of(demo_clone)
    with admin_engine(demo_clone) as engine:
        assert KEY not in _issues(engine, actor)
        with UnitOfWork(engine) as uow:
            therapists.repair_inconsistency(uow, actor, repair_all=True)
    stored, every = _stored_and_all(demo_clone)
    assert stored == every


def test_a_counter_matching_no_definition_is_reported_and_left_until_one_is_chosen(demo_clone):
    _unchosen(demo_clone, f"{ALL} + 3")
    actor = actor_of(demo_clone)
    with admin_engine(demo_clone) as engine:
        issue = _issues(engine, actor)[KEY]
        _, every = _stored_and_all(demo_clone)
        assert not issue.repairable
        assert f"is {every + 3}" in issue.description and f"every booking ({every})" in (
            issue.description
        )
        with pytest.raises(ValidationError, match="Choose what"), UnitOfWork(engine) as uow:
            therapists.repair_inconsistency(uow, actor, key=KEY)

        with UnitOfWork(engine) as uow:
            therapists.choose_sessions_booked_definition(uow, actor, definition="all_bookings")
        issue = _issues(engine, actor)[KEY]
        assert issue.repairable and "counting every booking" in issue.description
        with UnitOfWork(engine) as uow:
            therapists.repair_inconsistency(uow, actor, key=KEY)
    stored, every = _stored_and_all(demo_clone)
    assert stored == every
    with owner(demo_clone) as conn:
        setting = conn.execute(
            "SELECT value #>> '{}', updated_by FROM backoffice.settings "
            "WHERE key = 'therapists.sessions_booked_counts'"
        ).fetchall()
        events = conn.execute(
            "SELECT actor, details->>'to' FROM backoffice.audit_events "
            "WHERE action = 'setting.changed' AND subject_id = 'therapists.sessions_booked_counts' "
            "ORDER BY id"
        ).fetchall()
    assert setting == [("all_bookings", "demo_admin")]
    # the demo build's own choice, then the admin's
    assert events == [("postgres", "not_cancelled"), ("demo_admin", "all_bookings")]


def test_only_admins_choose_and_only_a_known_definition(staff):
    finance, admin = staff("demo_finance"), staff("demo_admin")
    with pytest.raises(PermissionDenied), finance.uow() as uow:
        therapists.choose_sessions_booked_definition(uow, finance.actor, definition="all_bookings")
    with pytest.raises(ValidationError), admin.uow() as uow:
        therapists.choose_sessions_booked_definition(uow, admin.actor, definition="held_only")
    with pytest.raises(DBAPIError, match="permission denied"), finance.connection.begin_nested():
        finance.connection.execute(
            sa.text("SELECT backoffice.choose_sessions_booked_definition('all_bookings')")
        )
