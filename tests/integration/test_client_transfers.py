"""Transferring one client: exactly the rows from the cutoff on move, everything that repeats the fact
agrees afterwards, and every refusal is a sentence. Each test runs as demo_admin and is rolled back.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from backoffice.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from backoffice.services import therapists, transfers
from tests.integration.transfer_fixtures import (
    NEW,
    OLD,
    ROOMY,
    rows,
    sessions_of,
    straddling_client,
    value,
)


def _transfer(ctx, client_id, to=NEW, **options):
    options.setdefault("reason", "Client asked for evening sessions")
    with ctx.uow() as uow:
        return transfers.transfer_client(
            uow, ctx.actor, client_id=client_id, to_therapist_id=to, **options
        )


def test_a_transfer_moves_exactly_the_future_rows_and_no_past_row(staff):
    admin = staff("demo_admin")
    client = straddling_client(admin.connection)
    before = sessions_of(admin.connection, client)

    result = _transfer(admin, client)

    after = sessions_of(admin.connection, client)
    future = {
        key
        for key, (start, _) in before.items()
        if start is not None and start >= result.moved_from
    }
    assert future and future != set(before), "the client needs sessions on both sides of now"
    for key, (start, holder) in after.items():
        expected = NEW if key in future else before[key][1]
        assert holder == expected, f"{key} at {start}"
    moved = {f"a:{s}" for s in result.appointments_moved} | {
        f"b:{b}" for b in result.bookings_moved
    }
    assert moved == {key for key in future if before[key][1] != NEW}


def test_the_client_the_history_and_the_dashboard_caches_agree_after_a_transfer(staff):
    admin = staff("demo_admin")
    conn = admin.connection
    client = straddling_client(conn)
    name, email = rows(
        conn, "SELECT client_name, email_id FROM all_clients_table WHERE client_id = :c", c=client
    )[0]

    result = _transfer(admin, client, handover_note="Prefers Hindi", share_past_notes=True)

    assert rows(
        conn,
        "SELECT therapist_id, assigned_therapist FROM all_clients_table WHERE client_id = :c",
        c=client,
    ) == [(NEW, result.to_therapist_name)]
    history = rows(
        conn,
        "SELECT from_therapist_id, to_therapist_id, transferred_by_admin_id, "
        "transferred_by_admin_name, reason, notes FROM client_transfer_history "
        "WHERE transfer_id = :t",
        t=result.transfer_id,
    )
    assert history == [
        (
            OLD,
            NEW,
            admin.actor.user_id,
            admin.actor.display_name,
            "Client asked for evening sessions",
            "Prefers Hindi",
        )
    ]
    assert (
        value(
            conn,
            "SELECT count(*) FROM backoffice.shared_note_access WHERE client_id = :c "
            "AND therapist_id = :t",
            c=client,
            t=NEW,
        )
        == 1
    )
    cached = rows(
        conn,
        "SELECT DISTINCT therapist_id FROM therapist_appointments_cache "
        "WHERE client_name = :n AND booking_date >= :cut",
        n=name,
        cut=result.moved_from,
    )
    assert cached == [(NEW,)]
    summary = rows(
        conn,
        "SELECT therapist_id, total_sessions FROM therapist_clients_summary "
        "WHERE client_name = :n AND client_email = :e ORDER BY 1",
        n=name,
        e=email,
    )
    counted = rows(
        conn,
        "SELECT therapist_id, count(*) FROM bookings WHERE invitee_id = :c GROUP BY 1 ORDER BY 1",
        c=client,
    )
    assert summary == counted
    with admin.uow() as uow:
        report = therapists.check_consistency(uow, admin.actor)
    assert [i for i in report.issues if i.kind == "counter_differs"] == []


def test_both_therapists_are_notified_and_the_transfer_is_audited(staff):
    admin = staff("demo_admin")
    conn = admin.connection
    client = straddling_client(conn)
    result = _transfer(admin, client)

    notified = rows(
        conn,
        "SELECT u.therapist_id, n.notification_type FROM notifications n "
        "JOIN users u ON u.id = n.user_id WHERE n.related_id = :c ORDER BY 1, 2",
        c=client,
    )
    assert {r[0] for r in notified} == {OLD, NEW}
    assert {r[1] for r in notified} == {"client_transferred_out", "client_transferred_in"}
    events = rows(
        conn,
        "SELECT actor, details->>'to', details->>'transfer_id' FROM backoffice.audit_events "
        "WHERE action = 'client.transferred' AND subject_id = :c",
        c=client,
    )
    assert events == [("demo_admin", NEW, str(result.transfer_id))]


def test_each_therapist_gets_one_notice_and_the_handover_note_ends_its_sentence(staff):
    """#14 item 6 ("...to call You may read...") and item 4 (one website user per therapist)."""
    admin = staff("demo_admin")
    client = straddling_client(admin.connection)
    _transfer(admin, client, handover_note="Prefers a phone call", share_past_notes=True)
    notices = rows(
        admin.connection,
        "SELECT u.therapist_id, n.message FROM notifications n JOIN users u ON u.id = n.user_id "
        "WHERE n.related_id = :c ORDER BY 1",
        c=client,
    )
    assert [therapist for therapist, _ in notices] == sorted([OLD, NEW])
    welcome = dict(notices)[NEW]
    assert "Handover note: Prefers a phone call. You may read their earlier session notes." in (
        welcome
    )


def test_an_effective_date_ahead_moves_only_the_sessions_from_that_day_on(staff):
    admin = staff("demo_admin")
    client = straddling_client(admin.connection)
    before = sessions_of(admin.connection, client)
    starts = sorted(start for start, _ in before.values() if start is not None)
    later = [s for s in starts if s.date() > dt.date.today() + dt.timedelta(days=1)]
    day = later[len(later) // 2].date()

    result = _transfer(admin, client, effective_date=day)

    assert result.moved_from == dt.datetime.combine(day, dt.time.min)
    after = sessions_of(admin.connection, client)
    for key, (start, holder) in after.items():
        assert holder == (NEW if start is not None and start.date() >= day else before[key][1]), key


@pytest.mark.parametrize(
    ("to", "options", "error", "words"),
    [
        (OLD, {}, ValidationError, "already with"),
        ("99999", {}, NotFound, "no therapist with the id 99999"),
        (NEW, {"reason": "  "}, ValidationError, "reason"),
        (
            NEW,
            {"effective_date": dt.date.today() - dt.timedelta(days=30)},
            ValidationError,
            "backdated",
        ),
    ],
)
def test_a_transfer_is_refused_with_a_sentence(staff, to, options, error, words):
    admin = staff("demo_admin")
    client = straddling_client(admin.connection)
    with pytest.raises(error, match=words):
        _transfer(admin, client, to=to, **options)
    assert (
        value(
            admin.connection,
            "SELECT therapist_id FROM all_clients_table WHERE client_id = :c",
            c=client,
        )
        == OLD
    )


def test_a_client_that_does_not_exist_cannot_be_transferred(staff):
    with pytest.raises(NotFound, match="no client with the id C-NOPE"):
        _transfer(staff("demo_admin"), "C-NOPE")


def test_a_deactivated_therapist_takes_no_new_client(staff):
    admin = staff("demo_admin")
    with admin.uow() as uow:
        deactivated = therapists.deactivate_therapist(
            uow, admin.actor, therapist_id=NEW, reason="Leaving in March"
        )
    assert deactivated.caseload_to_transfer and deactivated.clients > 0
    with pytest.raises(ValidationError, match="deactivated and takes no new clients"):
        _transfer(admin, straddling_client(admin.connection))
    assert (
        value(admin.connection, "SELECT count(*) FROM therapists WHERE therapist_id = :t", t=NEW)
        == 1
    )


def test_over_capacity_is_refused_unless_the_admin_gives_a_reason(staff):
    admin = staff("demo_admin")
    conn = admin.connection
    with admin.uow() as uow:
        full = next(
            t for t in therapists.list_therapists(uow, admin.actor) if t.therapist_id == NEW
        )
    # Shrink the capacity to what NEW already holds (admins may update therapists).
    conn.execute(
        sa.text("UPDATE therapists SET capacity = :c WHERE therapist_id = :t"),
        {"c": full.active_clients, "t": NEW},
    )
    client = straddling_client(conn)
    with pytest.raises(ValidationError, match="over capacity"):
        _transfer(admin, client)
    result = _transfer(admin, client, capacity_override_reason="Agreed with the therapist")
    assert result.capacity_overridden and result.to_therapist_id == NEW


def test_finance_and_therapists_may_not_transfer_clients(staff):
    for login in ("demo_finance", "demo_therapist"):
        ctx = staff(login)
        with pytest.raises(PermissionDenied), ctx.uow() as uow:
            transfers.transfer_client(
                uow, ctx.actor, client_id="C100001", to_therapist_id=ROOMY, reason="x"
            )


def test_an_admin_who_saw_an_old_assignment_is_told_what_changed(staff):
    admin = staff("demo_admin")
    client = straddling_client(admin.connection)
    _transfer(admin, client, to=NEW)
    with pytest.raises(ConflictError, match="meanwhile; nothing was changed") as refused:
        _transfer(admin, client, to=ROOMY, expected_from_therapist_id=OLD)
    assert NEW in str(refused.value)
    assert (
        value(
            admin.connection,
            "SELECT therapist_id FROM all_clients_table WHERE client_id = :c",
            c=client,
        )
        == NEW
    )


def test_clients_are_found_by_id_or_by_part_of_their_name_with_their_therapist(staff):
    admin = staff("demo_admin")
    client = straddling_client(admin.connection)
    with admin.uow() as uow:
        [row] = transfers.find_clients(uow, admin.actor, client_id=client)
        assert (row.therapist_id, row.therapist_name) == (OLD, "Nikhil Mehta")
        assert row in transfers.find_clients(uow, admin.actor, search=row.name.split()[0].lower())
