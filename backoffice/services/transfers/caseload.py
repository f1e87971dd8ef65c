"""A departing therapist's whole caseload: the preview (who goes where, what moves, capacity after)
and the transfer itself, applied in one transaction or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError, NotFound, ValidationError
from backoffice.services import clock
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.therapists import caseloads, records
from backoffice.services.therapists.counters import refresh_counters
from backoffice.services.therapists.types import TherapistRow
from backoffice.services.transfers import facts, notices
from backoffice.services.transfers.checks import check_targets, require_capacity, required_reason
from backoffice.services.transfers.cutoff import transfer_cutoff
from backoffice.services.transfers.handover import Handover, hand_over
from backoffice.services.transfers.types import (
    CaseloadPreview,
    CaseloadTransferResult,
    PlannedMove,
    TargetLoad,
    TransferResult,
)


def preview_caseload_transfer(
    uow: UnitOfWork,
    actor: Actor,
    *,
    from_therapist_id: str,
    to_therapist_ids: Sequence[str] = (),
    spread_by_capacity: bool = False,
    effective_date: dt.date | None = None,
) -> CaseloadPreview:
    """Who would go where if `from_therapist_id`'s whole caseload moved: all to one therapist, or
    spread over `to_therapist_ids` (every other active therapist when empty) by remaining capacity.

    Permission: TRANSFER_CLIENTS. Read only (nothing changes until `transfer_caseload`).
    Raises PermissionDenied, NotFound, ValidationError (no target, same or deactivated target or
    one whose registration has expired,
    backdated too far, no clients to move).
    """
    require(actor, Permission.TRANSFER_CLIENTS)
    return plan_caseload(
        uow,
        from_therapist_id=from_therapist_id,
        to_therapist_ids=list(to_therapist_ids),
        spread_by_capacity=spread_by_capacity,
        effective_date=effective_date,
    )


def plan_caseload(
    uow: UnitOfWork,
    *,
    from_therapist_id: str,
    to_therapist_ids: list[str],
    spread_by_capacity: bool,
    effective_date: dt.date | None,
) -> CaseloadPreview:
    source = _source(uow, from_therapist_id)
    targets = _targets(uow, from_therapist_id, to_therapist_ids, spread_by_capacity)
    cutoff = transfer_cutoff(uow, effective_date)
    clients = facts.caseload_of(uow, from_therapist_id)
    if not clients:
        raise ValidationError(f"{source.name} has no clients to transfer.")
    moves = _plan_moves(uow, clients, targets, cutoff)
    loads = _loads(targets, moves)
    return CaseloadPreview(from_therapist_id, source.name, effective_date, cutoff, moves, loads)


def _source(uow: UnitOfWork, therapist_id: str) -> TherapistRow:
    rows = caseloads.therapist_rows(uow, ids=[therapist_id])
    if not rows:
        raise NotFound(f"There is no therapist with the id {therapist_id}.")
    return rows[0]


def _targets(
    uow: UnitOfWork, from_therapist_id: str, to_therapist_ids: list[str], spread: bool
) -> list[TherapistRow]:
    """The receiving therapists: the one chosen, or when spreading over none named, every other
    active therapist whose registration has not expired. Each must be able to receive."""
    if not spread and len(to_therapist_ids) != 1:
        raise ValidationError("Choose the one therapist who takes the whole caseload.")
    if not to_therapist_ids:
        to_therapist_ids = [
            r.therapist_id
            for r in caseloads.therapist_rows(uow)
            if r.is_active and not r.registration_expired and r.therapist_id != from_therapist_id
        ]
    if not to_therapist_ids:
        raise ValidationError("There is no other active therapist to take the caseload.")
    targets = caseloads.therapist_rows(uow, ids=to_therapist_ids)
    names = {r.therapist_id: r.name for r in targets}
    check_targets(uow, to_therapist_ids, names, from_therapist_id=from_therapist_id)
    return targets


def _plan_moves(
    uow: UnitOfWork,
    clients: list[facts.ClientFacts],
    targets: list[TherapistRow],
    cutoff: dt.datetime,
) -> tuple[PlannedMove, ...]:
    ids = [c.client_id for c in clients]
    active = caseloads.active_clients_among(uow, ids, clock.clinic_now(uow))
    counts = facts.future_counts(uow, ids, cutoff)
    assigned = _distribute(clients, active, targets)
    names = {r.therapist_id: r.name for r in targets}
    return tuple(
        PlannedMove(
            c.client_id,
            c.name,
            assigned[c.client_id],
            names[assigned[c.client_id]],
            *counts.get(c.client_id, (0, 0)),
            active=c.client_id in active,
        )
        for c in clients
    )


def _distribute(
    clients: list[facts.ClientFacts], active: set[str], targets: list[TherapistRow]
) -> dict[str, str]:
    """Clients with sessions to come each go to the target with the most capacity left; the others
    (nothing to move but the assignment) are dealt out evenly."""
    left = {t.therapist_id: t.remaining_capacity for t in targets}
    received: Counter[str] = Counter()
    order = {t.therapist_id: i for i, t in enumerate(targets)}
    assigned = {}
    for client in sorted(clients, key=lambda c: (c.client_id not in active, c.name, c.client_id)):
        if client.client_id in active:
            chosen = max(left, key=lambda t: (left[t], -received[t], -order[t]))
            left[chosen] -= 1
        else:
            chosen = min(left, key=lambda t: (received[t], -left[t], order[t]))
        received[chosen] += 1
        assigned[client.client_id] = chosen
    return assigned


def _loads(targets: list[TherapistRow], moves: tuple[PlannedMove, ...]) -> tuple[TargetLoad, ...]:
    gained = Counter(m.to_therapist_id for m in moves if m.active)
    received = Counter(m.to_therapist_id for m in moves)
    return tuple(
        TargetLoad(
            t.therapist_id,
            t.name,
            t.capacity,
            t.active_clients,
            t.active_clients + gained[t.therapist_id],
            received[t.therapist_id],
        )
        for t in targets
        if received[t.therapist_id]
    )


def transfer_caseload(
    uow: UnitOfWork,
    actor: Actor,
    *,
    preview: CaseloadPreview,
    reason: str,
    handover_note: str | None = None,
    share_past_notes: bool = False,
    capacity_override_reason: str | None = None,
) -> CaseloadTransferResult:
    """Apply a caseload preview: every client to the therapist the preview names, all or nothing.

    Permission: TRANSFER_CLIENTS. One transaction; locks the therapists, the whole caseload and the
    rows it moves; audit "client.transferred" per client and "caseload.transferred".
    Raises PermissionDenied, NotFound, ValidationError (no reason, deactivated target, over capacity
    without an override reason, backdated too far), ConflictError (the caseload changed since the
    preview: says who left or joined).
    """
    require(actor, Permission.TRANSFER_CLIENTS)
    reason = required_reason(reason)
    source = preview.from_therapist_id
    cutoff = transfer_cutoff(uow, preview.effective_date)
    names, locked = _lock(uow, preview)
    now = clock.clinic_now(uow)
    overridden = _capacity_overridden(uow, preview, locked, now, capacity_override_reason)
    handover = Handover(actor, cutoff, now, reason, handover_note, share_past_notes, overridden)
    results, touched = _hand_over_each(uow, handover, preview, locked, names)
    refresh_counters(uow, touched, now)
    result = CaseloadTransferResult(source, names[source], cutoff, tuple(results))
    notices.notify_caseload_moved(uow, result, handover_note)
    override = capacity_override_reason if overridden else None
    notices.audit_caseload_moved(uow, result, reason=reason, note=handover_note, override=override)
    uow.commit()
    return result


def _receiving(preview: CaseloadPreview) -> list[str]:
    """The therapists the preview gives clients to, in id order (the order they are locked in)."""
    return sorted({m.to_therapist_id for m in preview.moves})


def _lock(
    uow: UnitOfWork, preview: CaseloadPreview
) -> tuple[dict[str, str], dict[str, facts.ClientFacts]]:
    """Lock the therapists, then the caseload: (their names by id, the clients by id). Refuses a
    therapist who cannot receive and a caseload changed since the preview."""
    source, target_ids = preview.from_therapist_id, _receiving(preview)
    names = records.lock_therapists(uow, [source, *target_ids])
    if source not in names:
        raise NotFound(f"There is no therapist with the id {source}.")
    check_targets(uow, target_ids, names, from_therapist_id=source)
    locked = facts.lock_caseload(uow, source)
    _require_same_caseload(locked, preview)
    return names, locked


def _capacity_overridden(
    uow: UnitOfWork,
    preview: CaseloadPreview,
    locked: Mapping[str, facts.ClientFacts],
    now: dt.datetime,
    override_reason: str | None,
) -> bool:
    """Clients with sessions to come count against their new therapist's capacity."""
    active = caseloads.active_clients_among(uow, locked, now)
    adding = Counter(m.to_therapist_id for m in preview.moves if m.client_id in active)
    return require_capacity(uow, {t: adding[t] for t in _receiving(preview)}, override_reason)


def _hand_over_each(
    uow: UnitOfWork,
    handover: Handover,
    preview: CaseloadPreview,
    locked: Mapping[str, facts.ClientFacts],
    names: Mapping[str, str],
) -> tuple[list[TransferResult], set[str]]:
    """Each receiving therapist's group in turn: (every client's result, the therapists whose
    counters change: the receiving ones and whoever held the moved sessions)."""
    results: list[TransferResult] = []
    touched = set(_receiving(preview))
    for therapist_id in _receiving(preview):
        group = [locked[m.client_id] for m in preview.moves if m.to_therapist_id == therapist_id]
        group_results, moved = hand_over(uow, handover, group, therapist_id, names)
        results.extend(group_results)
        touched |= moved.old_therapists
    return results, touched


def _require_same_caseload(
    locked: Mapping[str, facts.ClientFacts], preview: CaseloadPreview
) -> None:
    planned = {m.client_id: m.client_name for m in preview.moves}
    gone = [name for client_id, name in planned.items() if client_id not in locked]
    joined = [c.name for client_id, c in locked.items() if client_id not in planned]
    if not gone and not joined:
        return
    parts = []
    if gone:
        parts.append(f"{', '.join(gone)} no longer with them")
    if joined:
        parts.append(f"{', '.join(joined)} joined")
    raise ConflictError(
        f"{preview.from_therapist_name}'s caseload changed since the preview ({'; '.join(parts)}); "
        "nothing was changed: preview again."
    )
