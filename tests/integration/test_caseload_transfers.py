"""A departing therapist's whole caseload: preview, then all of it moves in one transaction or none of it
does. Each test runs as demo_admin and is rolled back.
"""

from __future__ import annotations

import pytest

from backoffice.errors import ConflictError, ValidationError
from backoffice.services import therapists, transfers
from backoffice.services.transfers import steps as transfer_steps
from tests.integration.transfer_fixtures import NEW, ROOMY, rows, value

LEAVING = "58004"  # Aditi Agarwal: a small caseload


def _preview(ctx, **options):
    with ctx.uow() as uow:
        return transfers.preview_caseload_transfer(
            uow, ctx.actor, from_therapist_id=LEAVING, **options
        )


def _apply(ctx, preview, **options):
    options.setdefault("reason", "Therapist leaves the clinic")
    with ctx.uow() as uow:
        return transfers.transfer_caseload(uow, ctx.actor, preview=preview, **options)


def _caseload(conn, therapist_id=LEAVING):
    return sorted(
        r[0]
        for r in rows(
            conn, "SELECT client_id FROM all_clients_table WHERE therapist_id = :t", t=therapist_id
        )
    )


def test_the_preview_lists_every_client_and_changes_nothing(staff):
    admin = staff("demo_admin")
    caseload = _caseload(admin.connection)
    preview = _preview(admin, to_therapist_ids=[ROOMY])
    assert sorted(m.client_id for m in preview.moves) == caseload
    assert {m.to_therapist_id for m in preview.moves} == {ROOMY}
    [target] = preview.targets
    assert target.active_after == target.active_before + sum(m.active for m in preview.moves)
    assert _caseload(admin.connection) == caseload


def test_the_whole_caseload_moves_to_one_therapist(staff):
    admin = staff("demo_admin")
    conn = admin.connection
    caseload = _caseload(conn)
    result = _apply(admin, _preview(admin, to_therapist_ids=[ROOMY]))

    assert _caseload(conn) == []
    assert sorted(t.client_id for t in result.transfers) == caseload
    assert (
        value(
            conn,
            "SELECT count(*) FROM appointment_table WHERE therapist_id = :t "
            "AND session_timings >= :cut",
            t=LEAVING,
            cut=result.moved_from,
        )
        == 0
    )
    assert value(
        conn,
        "SELECT count(*) FROM client_transfer_history WHERE from_therapist_id = :t "
        "AND reason = 'Therapist leaves the clinic'",
        t=LEAVING,
    ) == len(caseload)
    assert (
        value(
            conn,
            "SELECT count(*) FROM backoffice.audit_events WHERE action = 'caseload.transferred' "
            "AND subject_id = :t",
            t=LEAVING,
        )
        == 1
    )
    assert value(
        conn,
        "SELECT count(*) FROM backoffice.audit_events WHERE action = 'client.transferred' "
        "AND details->>'caseload' = 'true'",
    ) == len(caseload)
    with admin.uow() as uow:
        issues = therapists.check_consistency(uow, admin.actor).issues
    assert [i for i in issues if i.kind == "counter_differs"] == []


def test_spreading_by_capacity_fills_the_roomiest_therapists_first(staff):
    admin = staff("demo_admin")
    preview = _preview(admin, to_therapist_ids=[ROOMY, NEW], spread_by_capacity=True)
    loads = {t.therapist_id: t for t in preview.targets}
    active = [m for m in preview.moves if m.active]
    assert active, "the leaving therapist needs clients with sessions to come"
    left = {t: loads[t].capacity - loads[t].active_after for t in loads}
    assert (
        max(left.values()) - min(left.values()) <= 1
        or len(set(m.to_therapist_id for m in active)) == 1
    )
    assert preview.over_capacity == ()
    result = _apply(admin, preview)
    moved_to = {t.client_id: t.to_therapist_id for t in result.transfers}
    assert moved_to == {m.client_id: m.to_therapist_id for m in preview.moves}


def test_a_caseload_that_changed_since_the_preview_is_not_transferred_at_all(staff):
    admin = staff("demo_admin")
    conn = admin.connection
    preview = _preview(admin, to_therapist_ids=[ROOMY])
    moved_away = preview.moves[0]
    with admin.uow() as uow:
        transfers.transfer_client(
            uow,
            admin.actor,
            client_id=moved_away.client_id,
            to_therapist_id=NEW,
            reason="Asked for a male therapist",
        )
    before = _caseload(conn)
    with pytest.raises(ConflictError, match=f"{moved_away.client_name} no longer with them"):
        _apply(admin, preview)
    assert _caseload(conn) == before


def test_a_failure_half_way_through_a_caseload_leaves_every_client_where_it_was(staff, monkeypatch):
    admin = staff("demo_admin")
    conn = admin.connection
    preview = _preview(admin, to_therapist_ids=[ROOMY, NEW], spread_by_capacity=True)
    before = _caseload(conn)
    calls = []
    real = transfer_steps.record_transfer

    def fails_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(transfer_steps, "record_transfer", fails_on_the_third)
    with pytest.raises(RuntimeError):
        _apply(admin, preview)
    assert len(calls) == 3
    assert _caseload(conn) == before
    assert (
        value(
            conn,
            "SELECT count(*) FROM client_transfer_history WHERE from_therapist_id = :t "
            "AND reason = 'Therapist leaves the clinic'",
            t=LEAVING,
        )
        == 0
    )


def test_a_caseload_is_refused_for_a_deactivated_target_and_needs_one_target_when_not_spread(staff):
    admin = staff("demo_admin")
    with pytest.raises(ValidationError, match="one therapist"):
        _preview(admin, to_therapist_ids=[ROOMY, NEW])
    with pytest.raises(ValidationError, match="own caseload"):
        _preview(admin, to_therapist_ids=[LEAVING])
    preview = _preview(admin, to_therapist_ids=[NEW])
    with admin.uow() as uow:
        therapists.deactivate_therapist(uow, admin.actor, therapist_id=NEW, reason="On leave")
    with pytest.raises(ValidationError, match="deactivated"):
        _apply(admin, preview)
    spread = _preview(admin, spread_by_capacity=True)
    assert NEW not in {m.to_therapist_id for m in spread.moves}


def test_a_caseload_over_capacity_needs_an_override_reason(staff):
    admin = staff("demo_admin")
    conn = admin.connection
    with admin.uow() as uow:
        row = next(
            t for t in therapists.list_therapists(uow, admin.actor) if t.therapist_id == ROOMY
        )
    conn.exec_driver_sql(
        f"UPDATE therapists SET capacity = {row.active_clients} WHERE therapist_id = '{ROOMY}'"
    )
    preview = _preview(admin, to_therapist_ids=[ROOMY])
    assert [t.therapist_id for t in preview.over_capacity] == [ROOMY]
    with pytest.raises(ValidationError, match="over capacity"):
        _apply(admin, preview)
    result = _apply(admin, preview, capacity_override_reason="Temporary, until the new hire starts")
    assert all(t.capacity_overridden for t in result.transfers)
