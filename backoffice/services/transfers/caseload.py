"""A departing therapist's whole caseload: the preview (who goes where, what moves, capacity after)
and the transfer itself, applied in one transaction or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError, NotFound, ValidationError
from backoffice.services import audit, clock
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.therapists import caseloads, records
from backoffice.services.therapists.counters import refresh_counters
from backoffice.services.therapists.types import TherapistRow
from backoffice.services.transfers import steps
from backoffice.services.transfers.cutoff import transfer_cutoff
from backoffice.services.transfers.types import (
    CaseloadPreview,
    CaseloadTransferResult,
    PlannedMove,
    TargetLoad,
    TransferResult,
)
from backoffice.values import moment_text


def check_targets(
    uow: UnitOfWork,
    target_ids: Iterable[str],
    names: Mapping[str, str],
    *,
    from_therapist_id: str | None,
) -> None:
    """Every receiving therapist exists, is not the one giving the clients, and is active."""
    ids = list(target_ids)
    for therapist_id in ids:
        if therapist_id not in names:
            raise NotFound(f"There is no therapist with the id {therapist_id}.")
        if therapist_id == from_therapist_id:
            raise ValidationError(f"{names[therapist_id]} cannot take over their own caseload.")
    inactive = sorted(caseloads.inactive_among(uow, ids))
    if inactive:
        raise ValidationError(f"{names[inactive[0]]} is deactivated and takes no new clients.")


def require_capacity(
    uow: UnitOfWork, adding: Mapping[str, int], override_reason: str | None
) -> bool:
    """Refuse to take a therapist over capacity (clients with sessions to come) unless the admin
    gave a reason; True when that override was needed."""
    rows = caseloads.therapist_rows(uow, ids=list(adding))
    over = [
        r
        for r in rows
        if adding[r.therapist_id] and r.active_clients + adding[r.therapist_id] > r.capacity
    ]
    if not over:
        return False
    if override_reason and override_reason.strip():
        return True
    r = over[0]
    raise ValidationError(
        f"{r.name} already has {r.active_clients} clients with sessions to come and a capacity of "
        f"{r.capacity}; taking {adding[r.therapist_id]} more is over capacity: give a reason to "
        "override."
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
    Raises PermissionDenied, NotFound, ValidationError (no target, same or deactivated target,
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
    source = caseloads.therapist_rows(uow, ids=[from_therapist_id])
    if not source:
        raise NotFound(f"There is no therapist with the id {from_therapist_id}.")
    if not spread_by_capacity and len(to_therapist_ids) != 1:
        raise ValidationError("Choose the one therapist who takes the whole caseload.")
    if not to_therapist_ids:
        to_therapist_ids = [
            r.therapist_id
            for r in caseloads.therapist_rows(uow)
            if r.is_active and r.therapist_id != from_therapist_id
        ]
    if not to_therapist_ids:
        raise ValidationError("There is no other active therapist to take the caseload.")
    targets = caseloads.therapist_rows(uow, ids=to_therapist_ids)
    names = {r.therapist_id: r.name for r in targets}
    check_targets(uow, to_therapist_ids, names, from_therapist_id=from_therapist_id)
    cutoff = transfer_cutoff(uow, effective_date)
    clients = steps.caseload_of(uow, from_therapist_id)
    if not clients:
        raise ValidationError(f"{source[0].name} has no clients to transfer.")
    ids = [c.client_id for c in clients]
    active = caseloads.active_clients_among(uow, ids, clock.clinic_now(uow))
    counts = steps.future_counts(uow, ids, cutoff)
    assigned = _distribute(clients, active, targets)
    moves = tuple(
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
    return CaseloadPreview(
        from_therapist_id, source[0].name, effective_date, cutoff, moves, _loads(targets, moves)
    )


def _distribute(
    clients: list[steps.ClientFacts], active: set[str], targets: list[TherapistRow]
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
    if not reason or not reason.strip():
        raise ValidationError("Give the reason for the transfer.")
    reason, source = reason.strip(), preview.from_therapist_id
    cutoff = transfer_cutoff(uow, preview.effective_date)
    target_ids = sorted({m.to_therapist_id for m in preview.moves})
    names = records.lock_therapists(uow, [source, *target_ids])
    if source not in names:
        raise NotFound(f"There is no therapist with the id {source}.")
    check_targets(uow, target_ids, names, from_therapist_id=source)
    locked = steps.lock_caseload(uow, source)
    _require_same_caseload(locked, preview)
    now = clock.clinic_now(uow)
    active = caseloads.active_clients_among(uow, locked, now)
    adding = Counter(m.to_therapist_id for m in preview.moves if m.client_id in active)
    overridden = require_capacity(uow, {t: adding[t] for t in target_ids}, capacity_override_reason)
    results: list[TransferResult] = []
    touched: set[str] = set(target_ids)
    for therapist_id in target_ids:
        group = [locked[m.client_id] for m in preview.moves if m.to_therapist_id == therapist_id]
        fields = records.truth_fields(uow, therapist_id)
        target = steps.target_of(
            uow, therapist_id, names[therapist_id], fields.email if fields else None
        )
        moved = steps.move_rows(uow, group, target, cutoff)
        for client in group:
            transfer_id = steps.record_transfer(
                uow,
                actor,
                client,
                names[source],
                target,
                reason=reason,
                note=handover_note,
                now=now,
            )
            results.append(
                TransferResult(
                    transfer_id,
                    client.client_id,
                    client.name,
                    source,
                    names[source],
                    therapist_id,
                    target.name,
                    cutoff,
                    tuple(moved.appointments.get(client.client_id, ())),
                    tuple(moved.bookings.get(client.client_id, ())),
                    share_past_notes,
                    overridden,
                )
            )
        if share_past_notes:
            steps.share_notes(uow, [c.client_id for c in group], therapist_id)
        steps.refresh_caches(uow, group, target, moved)
        touched |= moved.old_therapists
    refresh_counters(uow, touched, now)
    result = CaseloadTransferResult(source, names[source], cutoff, tuple(results))
    _notify(uow, result, handover_note)
    _audit(uow, result, reason, handover_note, capacity_override_reason if overridden else None)
    uow.commit()
    return result


def _require_same_caseload(
    locked: Mapping[str, steps.ClientFacts], preview: CaseloadPreview
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


def _notify(uow: UnitOfWork, result: CaseloadTransferResult, note: str | None) -> None:
    when = moment_text(result.moved_from)
    by_target: dict[str, list[TransferResult]] = {}
    for t in result.transfers:
        by_target.setdefault(t.to_therapist_id, []).append(t)
    users = records.linked_user_ids(uow, [result.from_therapist_id, *by_target])
    records.notify(
        uow,
        users.get(result.from_therapist_id, []),
        kind="caseload_transferred_out",
        title="Caseload transferred",
        message=f"Your {len(result.transfers)} clients were transferred to other therapists from "
        f"{when}; your earlier sessions stay in your records.",
        related_id=result.from_therapist_id,
    )
    for therapist_id, moved in by_target.items():
        names = ", ".join(t.client_name for t in moved)
        message = (
            f"{len(moved)} clients of {result.from_therapist_name} were transferred to you; "
            f"their sessions from {when} are yours: {names}."
        )
        if note:
            message += f" Handover note: {note}"
        records.notify(
            uow,
            users.get(therapist_id, []),
            kind="client_transferred_in",
            title="New clients",
            message=message,
            related_id=result.from_therapist_id,
        )


def _audit(
    uow: UnitOfWork,
    result: CaseloadTransferResult,
    reason: str,
    note: str | None,
    override: str | None,
) -> None:
    for t in result.transfers:
        audit.record(
            uow,
            "client.transferred",
            subject_type="client",
            subject_id=t.client_id,
            details={
                "transfer_id": t.transfer_id,
                "from": t.from_therapist_id,
                "to": t.to_therapist_id,
                "reason": reason,
                "handover_note": note,
                "moved_from": t.moved_from.isoformat(),
                "appointments": list(t.appointments_moved),
                "bookings": list(t.bookings_moved),
                "notes_shared": t.notes_shared,
                "capacity_override_reason": override,
                "caseload": True,
            },
        )
    audit.record(
        uow,
        "caseload.transferred",
        subject_type="therapist",
        subject_id=result.from_therapist_id,
        details={
            "reason": reason,
            "clients": len(result.transfers),
            "to": sorted({t.to_therapist_id for t in result.transfers}),
            "appointments": result.appointments_moved,
            "bookings": result.bookings_moved,
            "capacity_override_reason": override,
        },
    )
