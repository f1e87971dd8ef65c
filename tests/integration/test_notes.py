"""Session-note review on real PostgreSQL: the queue's order and filters, openings on record,
reviews, orphaned notes, and finance kept out of all of it."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import ProgrammingError

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from backoffice.services.notes import (
    link_orphaned_note,
    list_link_candidates,
    list_notes_due,
    list_orphaned_notes,
    list_review_queue,
    open_note,
    review_note,
)
from backoffice.services.notes import workflows as notes_workflows
from tests.integration.refund_fixtures import clinic_fixture  # noqa: F401

RISKY = (
    "lower(current_risk_level) = 'high' OR lower(coalesce(self_harm_mention, 'no')) "
    "NOT IN ('no', 'none', '') "
    "OR note_id IN (SELECT note_id FROM backoffice.note_risk_scans WHERE phrases > 0)"
)
DUE = """
SELECT b.booking_id FROM bookings b
WHERE b.booking_status = 'completed'
  AND b.booking_end_at < timezone('Asia/Kolkata', now()) - interval '48 hours'
  AND NOT EXISTS (SELECT 1 FROM client_session_notes n WHERE n.booking_id = b.booking_id)
"""
ORDER = {"risk": 0, "unreviewed": 1, "due": 2, "reviewed": 3}


def scalars(ctx, query, **params):
    return list(ctx.connection.execute(sa.text(query), params).scalars())


def queue(ctx, **filters):
    with ctx.uow() as uow:
        return list_review_queue(uow, ctx.actor, limit=2000, **filters)


def test_the_queue_puts_risk_first_then_unreviewed_notes_by_age_then_notes_due(staff):
    admin = staff("demo_admin")
    rows = queue(admin)
    assert [ORDER[r.kind] for r in rows] == sorted(ORDER[r.kind] for r in rows)
    risk = [r for r in rows if r.kind == "risk"]
    reviewed = scalars(admin, "SELECT note_id FROM backoffice.note_reviews")
    assert reviewed  # the demo's older risky notes were reviewed; the queue holds the others
    assert sorted(r.note_id for r in risk) == sorted(
        set(scalars(admin, f"SELECT note_id FROM client_session_notes WHERE {RISKY}"))
        - set(reviewed)
    )
    assert all(r.risk_level == "high" or r.self_harm or r.text_risk for r in risk)
    assert any(r.text_risk and not r.self_harm and r.risk_level != "high" for r in risk)
    unreviewed = [r for r in rows if r.kind == "unreviewed"]
    notes = scalars(admin, "SELECT count(*) FROM client_session_notes")[0]
    assert len(unreviewed) == notes - len(risk) - len(reviewed)
    assert [r.written_at for r in unreviewed] == sorted(r.written_at for r in unreviewed)
    due = [r for r in rows if r.kind == "due"]
    assert sorted(r.booking_id for r in due) == sorted(scalars(admin, DUE))
    assert due and all(r.note_id is None and r.hours_overdue >= 0 for r in due)
    assert [r.therapist_name for r in due] == sorted(r.therapist_name for r in due)
    with admin.uow() as uow:
        per_therapist = list_notes_due(uow, admin.actor)
    assert sum(row.sessions for row in per_therapist) == len(due)


def test_a_reviewed_note_leaves_the_queue_and_each_filter_narrows_it(staff):
    admin = staff("demo_admin")
    first = queue(admin)[0]
    with admin.uow() as uow:
        review_note(uow, admin.actor, note_id=first.note_id, outcome="follow_up", comment="Call T.")
    assert first.note_id not in [r.note_id for r in queue(admin)]
    assert (first.note_id, "reviewed", "follow_up") in [
        (r.note_id, r.kind, r.outcome) for r in queue(admin, reviewed=True)
    ]
    everything = queue(admin, reviewed=None)
    assert len(everything) == len(queue(admin)) + len(queue(admin, reviewed=True))

    mine = queue(admin, therapist_id=first.therapist_id)
    assert mine and {r.therapist_id for r in mine} == {first.therapist_id}
    assert {r.self_harm for r in queue(admin, risk="self_harm")} == {True}
    assert {r.risk_level for r in queue(admin, risk="low")} == {"low"}
    day = first.session_at.date()
    dated = queue(admin, since=day, until=day)
    assert dated and {r.session_at.date() for r in dated} == {day}
    with pytest.raises(ValidationError, match="risk filter"):
        queue(admin, risk="extreme")
    with pytest.raises(ValidationError, match="comes after"):
        queue(admin, since=day, until=day - dt.timedelta(days=1))


def test_no_action_on_a_high_risk_note_needs_a_comment(staff):
    admin = staff("demo_admin")
    rows = queue(admin)
    risky, plain = rows[0], next(r for r in rows if r.kind == "unreviewed")
    assert risky.kind == "risk"
    with admin.uow() as uow, pytest.raises(ValidationError, match="say in the comment why"):
        review_note(uow, admin.actor, note_id=risky.note_id, outcome="no_action", comment="  ")
    count = "SELECT count(*) FROM backoffice.note_reviews WHERE note_id = :n"
    assert scalars(admin, count, n=risky.note_id) == [0]
    with admin.uow() as uow:
        review = review_note(
            uow,
            admin.actor,
            note_id=risky.note_id,
            outcome="no_action",
            comment="Discussed with the therapist: plan in place.",
        )
    assert (review.reviewer, review.outcome) == ("demo_admin", "no_action")
    with admin.uow() as uow:  # a low-risk note may be closed without a word
        review_note(uow, admin.actor, note_id=plain.note_id, outcome="no_action")
    assert scalars(
        admin,
        "SELECT count(*) FROM backoffice.audit_events WHERE action = "
        "'note.reviewed' AND subject_id IN (:a, :b)",
        a=str(risky.note_id),
        b=str(plain.note_id),
    ) == [2]
    with admin.uow() as uow, pytest.raises(ValidationError, match="outcome is one of"):
        review_note(uow, admin.actor, note_id=plain.note_id, outcome="ignore")


def test_an_opening_is_on_record_even_when_the_callers_transaction_rolls_back(clinic, monkeypatch):
    engine, actor = clinic.login("demo_admin")
    note_id = clinic.value("SELECT min(note_id) FROM client_session_notes")
    with UnitOfWork(engine) as uow:
        detail = open_note(uow, actor, note_id=note_id)
        uow.rollback()
    assert detail.note_id == note_id

    def failing_read(*args, **kwargs):
        raise RuntimeError("the screen crashed while reading the note")

    monkeypatch.setattr(notes_workflows, "note_detail", failing_read)
    with UnitOfWork(engine) as uow, pytest.raises(RuntimeError):
        open_note(uow, actor, note_id=note_id)
    assert clinic.sql(
        "SELECT opened_by FROM backoffice.note_openings WHERE note_id = %s AND purpose = 'read'",
        note_id,
    ) == [("demo_admin",), ("demo_admin",)]
    assert (
        clinic.value(
            "SELECT count(*) FROM backoffice.audit_events WHERE action = 'note.opened' "
            "AND subject_id = %s",
            str(note_id),
        )
        == 2
    )


def test_the_note_comes_with_its_risk_fields_marked_and_the_clients_earlier_notes_in_order(clinic):
    note_id, client = clinic.sql(
        "SELECT max(n.note_id), b.invitee_id FROM client_session_notes n JOIN bookings b "
        "USING (booking_id) GROUP BY b.invitee_id HAVING count(*) >= 3 ORDER BY 2 LIMIT 1"
    )[0]
    expected = [
        row[0]
        for row in clinic.sql(
            "SELECT n.note_id FROM client_session_notes n JOIN bookings b USING (booking_id) "
            "WHERE b.invitee_id = %s AND b.booking_start_at < (SELECT b2.booking_start_at FROM "
            "bookings b2 JOIN client_session_notes n2 USING (booking_id) WHERE n2.note_id = %s) "
            "ORDER BY b.booking_start_at",
            client,
            note_id,
        )
    ]
    detail = clinic.run("demo_admin", open_note, note_id=note_id)
    assert [e.note_id for e in detail.earlier] == expected and len(expected) >= 1
    assert {f.name for f in detail.fields if f.risk} == {
        "self_harm_mention",
        "self_harm_details",
        "current_risk_level",
        "protective_factors",
    }


def test_a_therapist_opens_the_notes_of_their_own_caseload_only(clinic):
    therapist = clinic.actor("demo_therapist")
    own, other = (
        clinic.value(
            "SELECT min(n.note_id) FROM client_session_notes n JOIN bookings b USING (booking_id) "
            f"WHERE b.therapist_id {op} %s",
            therapist.therapist_id,
        )
        for op in ("=", "<>")
    )
    detail = clinic.run("demo_therapist", open_note, note_id=own)
    assert detail.reviews == ()
    with pytest.raises(NotFound):
        clinic.run("demo_therapist", open_note, note_id=other)
    assert clinic.sql(
        "SELECT note_id, opened_by FROM backoffice.note_openings WHERE purpose = 'read'"
    ) == [(own, "demo_therapist")]
    with pytest.raises(PermissionDenied):
        clinic.run("demo_therapist", list_review_queue)


def test_finance_reaches_no_note_through_the_services_or_with_raw_sql(staff):
    finance = staff("demo_finance")
    calls = [
        (list_review_queue, {}),
        (list_notes_due, {}),
        (open_note, {"note_id": 1}),
        (review_note, {"note_id": 1, "outcome": "follow_up"}),
        (list_orphaned_notes, {}),
        (link_orphaned_note, {"note_id": 1, "booking_id": "60001"}),
    ]
    for call, kwargs in calls:
        with finance.uow() as uow, pytest.raises(PermissionDenied):
            call(uow, finance.actor, **kwargs)
    for table in (
        "public.client_session_notes",
        "backoffice.note_reviews",
        "backoffice.note_openings",
    ):
        with (
            pytest.raises(ProgrammingError, match="permission denied"),
            finance.connection.begin_nested(),
        ):
            finance.connection.execute(sa.text(f"SELECT * FROM {table} LIMIT 1"))


def test_an_orphaned_note_is_listed_and_linked_to_one_booking(clinic):
    orphans = clinic.run("demo_admin", list_orphaned_notes)
    assert [(o.booking_id, o.client_name) for o in orphans] == [("56430", "Pooja Jain")]
    note_id = orphans[0].note_id
    assert clinic.run("demo_admin", list_link_candidates, note_id=note_id) == ()
    with pytest.raises(NotFound, match="no booking nope"):
        clinic.run("demo_admin", link_orphaned_note, note_id=note_id, booking_id="nope")
    with_note = clinic.value(
        "SELECT min(booking_id) FROM client_session_notes WHERE booking_id <> '56430'"
    )
    with pytest.raises(ConflictError, match="already has a note"):
        clinic.run("demo_admin", link_orphaned_note, note_id=note_id, booking_id=with_note)
    target = clinic.value(DUE + " ORDER BY 1 LIMIT 1")
    linked = clinic.run("demo_admin", link_orphaned_note, note_id=note_id, booking_id=target)
    assert (linked.old_booking_id, linked.booking_id) == ("56430", target)
    assert clinic.run("demo_admin", list_orphaned_notes) == ()
    assert clinic.sql(
        "SELECT details ->> 'old_booking_id', details ->> 'booking_id' FROM "
        "backoffice.audit_events WHERE action = 'note.linked'"
    ) == [("56430", target)]
    with pytest.raises(ConflictError, match="already belongs to booking"):
        clinic.run("demo_admin", link_orphaned_note, note_id=note_id, booking_id=target)
