"""Handing a group of clients to one therapist: the steps of a transfer in order, one result each.

Internal to `services.transfers`; shared by the one-client and the whole-caseload transfer, whose
callers check, lock, notify, audit and commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from backoffice.db import UnitOfWork
from backoffice.services.permissions import Actor
from backoffice.services.transfers import facts, steps
from backoffice.services.transfers.facts import ClientFacts, Target
from backoffice.services.transfers.types import TransferResult


@dataclass(frozen=True)
class Handover:
    """What every client of one transfer shares: who asked, from when, why, what was allowed."""

    actor: Actor
    cutoff: dt.datetime
    now: dt.datetime
    reason: str
    note: str | None
    share_past_notes: bool
    capacity_overridden: bool


def hand_over(
    uow: UnitOfWork,
    handover: Handover,
    group: list[ClientFacts],
    to_therapist_id: str,
    names: Mapping[str, str],
) -> tuple[list[TransferResult], steps.Moved]:
    """Move the group's rows to the receiving therapist, record each client's transfer, share their
    notes if asked and refresh the caches. `names` holds the therapists' names by id, giving and
    receiving."""
    target = facts.target_of(uow, to_therapist_id, names[to_therapist_id])
    moved = steps.move_rows(uow, group, target, handover.cutoff)
    results = [_record(uow, handover, client, target, names, moved) for client in group]
    if handover.share_past_notes:
        steps.share_notes(uow, [c.client_id for c in group], target.therapist_id)
    steps.refresh_caches(uow, group, target, moved)
    return results, moved


def _record(
    uow: UnitOfWork,
    handover: Handover,
    client: ClientFacts,
    target: Target,
    names: Mapping[str, str],
    moved: steps.Moved,
) -> TransferResult:
    """Write the client's `client_transfer_history` row and say what moved with them."""
    from_name = names.get(client.therapist_id or "")
    transfer_id = steps.record_transfer(
        uow,
        handover.actor,
        client,
        from_name,
        target,
        reason=handover.reason,
        note=handover.note,
        now=handover.now,
    )
    return _result(handover, client, target, moved, transfer_id=transfer_id, from_name=from_name)


def _result(
    handover: Handover,
    client: ClientFacts,
    target: Target,
    moved: steps.Moved,
    *,
    transfer_id: int,
    from_name: str | None,
) -> TransferResult:
    return TransferResult(
        transfer_id=transfer_id,
        client_id=client.client_id,
        client_name=client.name,
        from_therapist_id=client.therapist_id,
        from_therapist_name=from_name,
        to_therapist_id=target.therapist_id,
        to_therapist_name=target.name,
        moved_from=handover.cutoff,
        appointments_moved=tuple(moved.appointments.get(client.client_id, ())),
        bookings_moved=tuple(moved.bookings.get(client.client_id, ())),
        notes_shared=handover.share_past_notes,
        capacity_overridden=handover.capacity_overridden,
    )
