"""The consistency check finds each kind of disagreement the test plants (as the owner, on a private
clone), and its repair puts things right, audited. The demo clinic itself starts consistent.
"""

from __future__ import annotations

import pytest

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError, PermissionDenied, ValidationError
from backoffice.services import therapists
from tests.integration.transfer_fixtures import actor_of, admin_engine, owner

APPROVED_COPY = """
INSERT INTO backoffice.therapist_applications (full_name, email, specialisations, weekly_capacity,
    state, decided_by, decided_at, therapist_id)
SELECT name, contact_info, string_to_array(specialization, ', '), capacity, 'approved', 'admin',
       now(), therapist_id FROM therapists WHERE therapist_id = '{t}'
"""

# kind -> (what the owner plants, the keys the audit must report, a query that is true once repaired)
PLANTS = {
    "application_not_applied": (
        "INSERT INTO backoffice.therapist_applications (full_name, email, weekly_capacity, state, "
        "decided_by, decided_at) VALUES ('Kavya Rao', 'kavya.rao@example.org', 12, 'approved', "
        "'admin', now())",
        {"application_not_applied:{app}"},
        "SELECT count(*) = 1 FROM therapists t JOIN backoffice.therapist_applications a "
        "ON a.therapist_id = t.therapist_id JOIN users u ON u.therapist_id = t.therapist_id "
        "JOIN backoffice.staff_accounts s ON s.therapist_id = t.therapist_id "
        "WHERE a.full_name = 'Kavya Rao' AND t.name = 'Kavya Rao' AND u.username = 'kavya.rao@example.org'",
    ),
    "missing_therapist": (
        # A website user of a therapist who is gone (each demo therapist has one user: #14 item 4).
        "SET session_replication_role = replica; "
        "INSERT INTO users (username, password, name, full_name, role, therapist_id) VALUES "
        "('harsh.das@old-clinic.example', 'x', 'Harsh Das', 'Harsh Das', 'therapist', '59999'); "
        "SET session_replication_role = DEFAULT",
        {"missing_therapist:59999"},
        "SELECT count(*) = 1 FROM therapists t JOIN backoffice.therapist_status_changes s "
        "USING (therapist_id) WHERE t.therapist_id = '59999' AND t.name = 'Harsh Das' AND NOT s.is_active",
    ),
    "therapist_differs": (
        APPROVED_COPY.format(t="58001") + "; UPDATE therapists SET name = 'Nikhil Mehtha', "
        "capacity = 3 WHERE therapist_id = '58001'",
        {"therapist_differs:58001:name", "therapist_differs:58001:capacity"},
        "SELECT name = 'Nikhil Mehta' AND capacity = 28 FROM therapists WHERE therapist_id = '58001'",
    ),
    "therapist_without_user": (
        "UPDATE users SET therapist_id = NULL WHERE therapist_id = '58005'",
        {"therapist_without_user:58005"},
        "SELECT array_agg(id) = ARRAY[7] FROM users WHERE therapist_id = '58005'",  # relinked, not a copy
    ),
    "user_differs": (
        "UPDATE users SET full_name = 'Aditi A.' WHERE therapist_id = '58004'",
        {"user_differs:6"},
        "SELECT full_name = 'Aditi Agarwal' FROM users WHERE id = 6",
    ),
    "staff_missing": (
        APPROVED_COPY.format(t="58005"),
        {"staff_missing:58005"},
        "SELECT count(*) = 1 FROM backoffice.staff_accounts WHERE therapist_id = '58005' "
        "AND display_name = 'Łukasz Rossi' AND role = 'therapist'",
    ),
    "staff_differs": (
        "UPDATE backoffice.staff_accounts SET display_name = 'H. Das', email = 'hd@old.example' "
        "WHERE login_role = 'demo_therapist2'",
        {"staff_differs:4"},
        "SELECT display_name = 'Harsh Das' AND email = 'harsh.das@safestories.in' "
        "FROM backoffice.staff_accounts WHERE login_role = 'demo_therapist2'",
    ),
    "staff_user_link": (
        "UPDATE backoffice.staff_accounts SET user_id = 4 WHERE login_role = 'demo_therapist'",
        {"staff_user_link:3"},
        "SELECT u.therapist_id = '58001' FROM backoffice.staff_accounts s JOIN users u ON u.id = s.user_id "
        "WHERE s.login_role = 'demo_therapist'",
    ),
    "counter_differs": (
        "UPDATE therapists SET sessions_booked = sessions_booked + 3 WHERE therapist_id = '58007'; "
        "UPDATE therapist_dashboard_stats SET cancelled_sessions = 0 WHERE therapist_id = '58008'",
        {"counter_differs:58007:sessions_booked", "counter_differs:58008:dashboard_stats"},
        "SELECT t.sessions_booked = (SELECT count(*) FROM bookings b WHERE b.therapist_id = '58007' "
        "AND b.booking_status IS DISTINCT FROM 'cancelled') AND s.cancelled_sessions = (SELECT count(*) "
        "FROM bookings b WHERE b.therapist_id = '58008' AND b.booking_status = 'cancelled') "
        "FROM therapists t, therapist_dashboard_stats s WHERE t.therapist_id = '58007' AND s.therapist_id = '58008'",
    ),
}


def _plant(db, sql: str) -> str | None:
    with owner(db) as conn:
        conn.execute(sql)
        row = conn.execute("SELECT max(id) FROM backoffice.therapist_applications").fetchone()
    return str(row[0])


def _audit(engine, actor):
    with UnitOfWork(engine) as uow:
        return therapists.check_consistency(uow, actor)


def test_the_demo_clinic_starts_consistent(staff):
    admin = staff("demo_admin")
    with admin.uow() as uow:
        report = therapists.check_consistency(uow, admin.actor)
    assert report.issues == () and report.therapists_checked == 8


@pytest.mark.parametrize("kind", sorted(PLANTS))
def test_the_audit_finds_a_planted_disagreement_and_its_repair_puts_it_right(demo_clone, kind):
    plant, expected, repaired = PLANTS[kind]
    app = _plant(demo_clone, plant)
    expected = {key.format(app=app) for key in expected}
    actor = actor_of(demo_clone)
    with admin_engine(demo_clone) as engine:
        found = _audit(engine, actor).issues
        assert {i.key for i in found} == expected
        assert all(i.kind == kind and i.description.endswith(".") for i in found)
        for key in sorted(expected):
            with UnitOfWork(engine) as uow:
                therapists.repair_inconsistency(uow, actor, key=key)
        assert _audit(engine, actor).issues == ()
    with owner(demo_clone) as conn:
        assert conn.execute(repaired).fetchone() == (True,)
        events = conn.execute(
            "SELECT details->>'key', actor FROM backoffice.audit_events "
            "WHERE action = 'therapist.consistency_repaired'"
        ).fetchall()
    assert sorted(events) == sorted((key, "demo_admin") for key in expected)


def test_repairing_everything_at_once_leaves_no_disagreement(demo_clone):
    for plant, _, _ in PLANTS.values():
        _plant(demo_clone, plant)
    actor = actor_of(demo_clone)
    with admin_engine(demo_clone) as engine:
        assert _audit(engine, actor).kinds() == frozenset(PLANTS)
        with UnitOfWork(engine) as uow:
            result = therapists.repair_inconsistency(uow, actor, repair_all=True)
        assert result.remaining == ()
        assert _audit(engine, actor).issues == ()
    with owner(demo_clone) as conn:
        for _, _, repaired in PLANTS.values():
            assert conn.execute(repaired).fetchone() == (True,), repaired


def test_a_website_login_named_otherwise_is_reported_but_never_renamed(demo_clone):
    _plant(demo_clone, "UPDATE users SET username = 'aditi@old-domain.example' WHERE id = 6")
    actor = actor_of(demo_clone)
    with admin_engine(demo_clone) as engine:
        (issue,) = _audit(engine, actor).issues
        assert (issue.key, issue.repairable) == ("user_login_differs:6", False)
        with pytest.raises(ValidationError, match="website's to rename"), UnitOfWork(engine) as uow:
            therapists.repair_inconsistency(uow, actor, key=issue.key)
        with UnitOfWork(engine) as uow:
            result = therapists.repair_inconsistency(uow, actor, repair_all=True)
    assert (result.repaired, result.remaining) == ((), (issue,))
    with owner(demo_clone) as conn:
        name = conn.execute("SELECT username FROM users WHERE id = 6").fetchone()
    assert name == ("aditi@old-domain.example",)


def test_a_repair_of_something_no_longer_there_is_a_conflict(staff):
    admin = staff("demo_admin")
    with pytest.raises(ConflictError, match="no longer there"), admin.uow() as uow:
        therapists.repair_inconsistency(uow, admin.actor, key="user_differs:3")


def test_finance_may_neither_audit_nor_repair(staff):
    finance = staff("demo_finance")
    with finance.uow() as uow:
        with pytest.raises(PermissionDenied):
            therapists.check_consistency(uow, finance.actor)
        with pytest.raises(PermissionDenied):
            therapists.repair_inconsistency(uow, finance.actor, repair_all=True)
