"""Therapist applications: approval writes therapists, users and the staff account so that they agree
field by field; every decision is refused when it makes no sense, and audited when it is made.
Each test runs as demo_admin and is rolled back (except the login test, on a private clone).
"""

from __future__ import annotations

import uuid

import pytest
from psycopg import sql

from backoffice.db import UnitOfWork
from backoffice.errors import (
    ConflictError,
    NotFound,
    PasswordChangeRequired,
    PermissionDenied,
    ValidationError,
)
from backoffice.services import therapists
from backoffice.services.login import open_session, set_own_password
from backoffice.services.therapists import ApplicationDraft
from tests.integration.transfer_fixtures import actor_of, admin_engine, owner, rows, value

DRAFT = ApplicationDraft(
    full_name="Meera Pillai",
    email="meera.pillai.therapy@example.org",
    phone="+91 98450 11223",
    registration_number="A12345",
    registration_council="Rehabilitation Council of India",
    specialisations=("Anxiety", "Trauma & PTSD"),
    bio="Ten years of practice.",
    years_of_experience=10,
    languages=("English", "Malayalam"),
    documents=("registration_certificate.pdf", "degree_certificate.pdf"),
    weekly_capacity=20,
)


def _pending(ctx) -> int:
    with ctx.uow() as uow:
        return therapists.list_applications(uow, ctx.actor, state="pending")[0].application_id


def _submit(ctx, draft=DRAFT) -> int:
    with ctx.uow() as uow:
        return therapists.submit_application(uow, ctx.actor, draft=draft).application_id


def _approve(ctx, application_id, **options):
    with ctx.uow() as uow:
        return therapists.approve_application(
            uow, ctx.actor, application_id=application_id, **options
        )


def test_after_approval_the_therapist_user_and_staff_account_agree_field_by_field(staff):
    admin = staff("demo_admin")
    conn = admin.connection
    result = _approve(admin, _submit(admin))

    t = rows(
        conn,
        "SELECT name, contact_info, specialization, capacity, sessions_booked FROM therapists "
        "WHERE therapist_id = :t",
        t=result.therapist_id,
    )
    assert t == [("Meera Pillai", DRAFT.email, "Anxiety, Trauma & PTSD", 20, 0)]
    users = rows(
        conn,
        "SELECT id, username, name, full_name, role FROM users WHERE therapist_id = :t",
        t=result.therapist_id,
    )
    assert users == [(result.user_id, DRAFT.email, "Meera Pillai", "Meera Pillai", "therapist")]
    accounts = rows(
        conn,
        "SELECT id, login_role, role, display_name, email, user_id, is_active "
        "FROM backoffice.staff_accounts WHERE therapist_id = :t",
        t=result.therapist_id,
    )
    assert accounts == [
        (
            result.staff_account_id,
            result.login_role,
            "therapist",
            "Meera Pillai",
            DRAFT.email,
            result.user_id,
            True,
        )
    ]
    app = rows(
        conn,
        "SELECT state, decided_by, decided_at IS NOT NULL, therapist_id "
        "FROM backoffice.therapist_applications WHERE full_name = 'Meera Pillai'",
    )
    assert app == [("approved", "demo_admin", True, result.therapist_id)]
    assert (
        value(conn, "SELECT count(*) FROM notifications WHERE user_id = :u", u=result.user_id) == 1
    )
    with admin.uow() as uow:
        report = therapists.check_consistency(uow, admin.actor)
    assert [i for i in report.issues if i.therapist_id == result.therapist_id] == []


def test_approval_is_audited_with_who_and_what_it_created(staff):
    admin = staff("demo_admin")
    application_id = _pending(admin)
    result = _approve(admin, application_id)
    events = rows(
        admin.connection,
        "SELECT actor, details->>'therapist_id', details->>'login_created' "
        "FROM backoffice.audit_events WHERE action = 'therapist_application.approved' "
        "AND subject_id = :a",
        a=str(application_id),
    )
    assert events == [("demo_admin", result.therapist_id, "false")]


def test_approving_twice_is_a_conflict_not_a_second_therapist(staff):
    admin = staff("demo_admin")
    application_id = _pending(admin)
    first = _approve(admin, application_id)
    count = value(admin.connection, "SELECT count(*) FROM therapists")
    with pytest.raises(
        ConflictError, match=f"already approved by demo_admin .*therapist {first.therapist_id}"
    ):
        _approve(admin, application_id)
    assert value(admin.connection, "SELECT count(*) FROM therapists") == count


def test_an_email_that_belongs_to_another_therapist_is_a_conflict(staff):
    admin = staff("demo_admin")
    email = value(
        admin.connection, "SELECT contact_info FROM therapists WHERE therapist_id = '58002'"
    )
    application_id = _submit(admin, ApplicationDraft(full_name="Someone Else", email=email.upper()))
    count = value(admin.connection, "SELECT count(*) FROM therapists")
    with pytest.raises(ConflictError, match="already belongs to Harsh Das \\(therapist 58002\\)"):
        _approve(admin, application_id)
    assert value(admin.connection, "SELECT count(*) FROM therapists") == count


def test_the_new_therapist_id_skips_the_orphaned_ids_other_tables_still_use(staff):
    admin = staff("demo_admin")
    result = _approve(admin, _submit(admin))
    highest = value(admin.connection, "SELECT max(therapist_id::int) FROM therapist_resources")
    assert int(result.therapist_id) > max(int(highest), 58008)


def test_reject_needs_a_reason_and_then_the_application_is_closed(staff):
    admin = staff("demo_admin")
    application_id = _pending(admin)
    with pytest.raises(ValidationError, match="reason"), admin.uow() as uow:
        therapists.reject_application(uow, admin.actor, application_id=application_id, reason=" ")
    with admin.uow() as uow:
        decided = therapists.reject_application(
            uow,
            admin.actor,
            application_id=application_id,
            reason="Registration could not be verified.",
        )
    assert decided.state == "rejected"
    events = rows(
        admin.connection,
        "SELECT actor, details->>'message' FROM backoffice.audit_events "
        "WHERE action = 'therapist_application.rejected' AND subject_id = :a",
        a=str(application_id),
    )
    assert events == [("demo_admin", "Registration could not be verified.")]
    with pytest.raises(ConflictError, match="already rejected"):
        _approve(admin, application_id)


def test_information_is_asked_with_a_message_and_the_answer_returns_it_to_the_queue(staff):
    admin = staff("demo_admin")
    application_id = _pending(admin)
    with pytest.raises(ValidationError, match="applicant needs to send"), admin.uow() as uow:
        therapists.request_information(uow, admin.actor, application_id=application_id, message="")
    with admin.uow() as uow:
        therapists.request_information(
            uow,
            admin.actor,
            application_id=application_id,
            message="Please send your degree certificate.",
        )
    with pytest.raises(ConflictError, match="waiting for information"):
        _approve(admin, application_id)
    with admin.uow() as uow:
        current = therapists.get_application(uow, admin.actor, application_id=application_id)
        changed = ApplicationDraft(
            **{**current.draft.__dict__, "documents": (*current.draft.documents, "degree.pdf")}
        )
        back = therapists.resubmit_application(
            uow, admin.actor, application_id=application_id, draft=changed, note="Sent by email"
        )
    assert back.state == "pending"
    with admin.uow() as uow:
        history = therapists.list_decisions(uow, admin.actor, application_id=application_id)
        assert (
            "degree.pdf"
            in therapists.get_application(
                uow, admin.actor, application_id=application_id
            ).draft.documents
        )
    assert [h.action for h in history] == ["resubmitted", "needs_information"]
    assert history[1].message == "Please send your degree certificate."


def test_the_queue_is_searched_and_unknown_applications_are_not_found(staff):
    admin = staff("demo_admin")
    with admin.uow() as uow:
        queue = therapists.list_applications(uow, admin.actor)
        first = queue[0]
        found = therapists.list_applications(uow, admin.actor, search=first.email.upper()[:8])
        assert first in found and all(a.state == "pending" for a in queue)
        with pytest.raises(NotFound):
            therapists.get_application(uow, admin.actor, application_id=999_999)
        with pytest.raises(ValidationError):
            therapists.list_applications(uow, admin.actor, state="maybe")


def test_only_admins_decide_applications(staff):
    for login in ("demo_finance", "demo_therapist"):
        ctx = staff(login)
        with pytest.raises(PermissionDenied), ctx.uow() as uow:
            therapists.approve_application(uow, ctx.actor, application_id=1)


def test_a_deactivated_therapist_is_kept_and_can_be_reactivated(staff):
    admin = staff("demo_admin")
    with admin.uow() as uow:
        gone = therapists.deactivate_therapist(
            uow, admin.actor, therapist_id="58003", reason="Moved abroad"
        )
    assert gone.clients == value(
        admin.connection, "SELECT count(*) FROM all_clients_table WHERE therapist_id = '58003'"
    )
    with pytest.raises(ConflictError, match="already deactivated"), admin.uow() as uow:
        therapists.deactivate_therapist(uow, admin.actor, therapist_id="58003", reason="again")
    with admin.uow() as uow:
        listed = {t.therapist_id: t.is_active for t in therapists.list_therapists(uow, admin.actor)}
        assert listed["58003"] is False
        assert therapists.reactivate_therapist(
            uow, admin.actor, therapist_id="58003", reason="Back"
        ).is_active
    actions = rows(
        admin.connection,
        "SELECT action FROM backoffice.audit_events WHERE subject_id = '58003' "
        "AND subject_type = 'therapist' ORDER BY id",
    )
    assert actions == [("therapist.deactivated",), ("therapist.reactivated",)]


def test_an_approved_therapist_with_a_login_can_sign_in_as_themselves(demo_clone):
    login = f"meera_{uuid.uuid4().hex[:8]}"
    with admin_engine(demo_clone) as engine:
        actor = actor_of(demo_clone)
        with UnitOfWork(engine) as uow:
            application_id = therapists.submit_application(uow, actor, draft=DRAFT).application_id
        with UnitOfWork(engine) as uow:
            result = therapists.approve_application(
                uow,
                actor,
                application_id=application_id,
                login_name=login,
                login_password="a-long-secret-1",
            )
    try:
        assert result.login_created and result.login_role == login
        with pytest.raises(PasswordChangeRequired):
            open_session(demo_clone.profile(), username=login, password="a-long-secret-1")
        session = set_own_password(
            demo_clone.profile(),
            username=login,
            temporary_password="a-long-secret-1",
            new_password="meera-chose-this",
        )
        try:
            assert (session.actor.role.value, session.actor.therapist_id) == (
                "therapist",
                result.therapist_id,
            )
            with session.engine.connect() as conn:
                assert value(conn, "SELECT count(*) FROM bookings") == 0
        finally:
            session.close()
        with owner(demo_clone) as conn:
            flags = conn.execute(
                "SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = %s",
                (login,),
            ).fetchone()
            assert flags == (False, False, False)
            assert "a-long-secret-1" not in str(
                conn.execute("SELECT details FROM backoffice.audit_events").fetchall()
            )
    finally:
        with owner(demo_clone) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def test_an_existing_therapist_without_a_login_gets_one_and_sees_their_own_caseload(demo_clone):
    login = f"aditi_{uuid.uuid4().hex[:8]}"
    with admin_engine(demo_clone) as engine, UnitOfWork(engine) as uow:
        made = therapists.create_therapist_login(
            uow,
            actor_of(demo_clone),
            therapist_id="58004",
            password="another-secret-2",
            login_name=login,
        )
    try:
        assert made.login_role == login
        session = set_own_password(
            demo_clone.profile(),
            username=login,
            temporary_password="another-secret-2",
            new_password="aditi-chose-this",
        )
        try:
            assert session.actor.therapist_id == "58004"
            with session.engine.connect() as conn:
                seen = rows(conn, "SELECT DISTINCT therapist_id FROM bookings")
        finally:
            session.close()
        assert seen == [("58004",)]
        with owner(demo_clone) as conn:
            events = conn.execute(
                "SELECT details FROM backoffice.audit_events WHERE action = 'therapist.login_created'"
            ).fetchall()
        assert events == [({"login": login},)]
        with owner(demo_clone) as conn:
            steps = conn.execute(
                "SELECT action, actor FROM backoffice.audit_events WHERE subject_id = %s "
                "AND subject_type = 'staff_account' ORDER BY id",
                (login,),
            ).fetchall()
        assert steps == [("staff.temporary_password", "demo_admin"), ("staff.password_set", login)]
    finally:
        with owner(demo_clone) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))
