"""Transferring one client to another active therapist, and finding the client to transfer.

A transfer moves the client's appointments and bookings from the effective date on (earlier ones
stay with whoever held them), reassigns the client, writes `client_transfer_history`, refreshes the
therapist dashboard caches and counters, notifies both therapists and writes an audit event, all in
one transaction. Row-level security follows at once: it reads the same `therapist_id` columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import ConflictError, NotFound, ValidationError
from backoffice.models import ClientTransfer, Therapist
from backoffice.services import audit, clock
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.therapists import caseloads, records
from backoffice.services.therapists.counters import refresh_counters
from backoffice.services.transfers import steps
from backoffice.services.transfers.caseload import check_targets, require_capacity
from backoffice.services.transfers.cutoff import transfer_cutoff
from backoffice.services.transfers.types import TransferResult
from backoffice.values import moment_text


@dataclass(frozen=True)
class ClientRow:
    client_id: str
    name: str
    email: str | None
    phone: str | None
    therapist_id: str | None
    therapist_name: str | None


def find_clients(
    uow: UnitOfWork,
    actor: Actor,
    *,
    search: str | None = None,
    client_id: str | None = None,
    limit: int = 50,
) -> tuple[ClientRow, ...]:
    """Clients by id, or whose name, email or phone contains `search`, with their therapist.

    Permission: VIEW_CLIENTS. Read only. Raises PermissionDenied.
    """
    require(actor, Permission.VIEW_CLIENTS)
    rows = uow.session.execute(
        sa.text(
            "SELECT c.client_id, coalesce(c.client_name, c.client_id) AS name, c.email_id, "
            "c.phone_number, c.therapist_id, t.name AS therapist_name "
            "FROM public.all_clients_table c "
            "LEFT JOIN public.therapists t ON t.therapist_id = c.therapist_id "
            "WHERE (CAST(:id AS text) IS NULL OR c.client_id = :id) AND (CAST(:p AS text) IS NULL "
            "OR c.client_name ILIKE :p OR c.email_id ILIKE :p OR c.phone_number ILIKE :p) "
            "ORDER BY c.client_name, c.client_id LIMIT :limit"
        ),
        {
            "id": client_id,
            "p": f"%{search.strip()}%" if search and search.strip() else None,
            "limit": limit,
        },
    )
    return tuple(ClientRow(*row) for row in rows)


def transfer_client(
    uow: UnitOfWork,
    actor: Actor,
    *,
    client_id: str,
    to_therapist_id: str,
    reason: str,
    effective_date: dt.date | None = None,
    handover_note: str | None = None,
    share_past_notes: bool = False,
    capacity_override_reason: str | None = None,
    expected_from_therapist_id: str | None = None,
) -> TransferResult:
    """Transfer one client to another active therapist from `effective_date` (None: from now on).

    `expected_from_therapist_id` is the therapist the admin saw; if the client has moved since,
    nothing happens. Past notes become readable by the new therapist when `share_past_notes`.

    Permission: TRANSFER_CLIENTS. One transaction; locks the therapists, the client and every row
    it moves; audit "client.transferred".
    Raises PermissionDenied, NotFound (client or therapist), ValidationError (no reason, same or
    deactivated therapist, over capacity without an override reason, backdated too far),
    ConflictError (the client was transferred or changed meanwhile: says to whom).
    """
    require(actor, Permission.TRANSFER_CLIENTS)
    reason = _required(reason, "Give the reason for the transfer.")
    seen = steps.read_clients(uow, [client_id]).get(client_id)
    if seen is None:
        raise NotFound(f"There is no client with the id {client_id}.")
    cutoff = transfer_cutoff(uow, effective_date)
    names = records.lock_therapists(uow, [to_therapist_id, *filter(None, [seen.therapist_id])])
    check_targets(uow, [to_therapist_id], names, from_therapist_id=None)
    if to_therapist_id == seen.therapist_id:
        raise ValidationError(f"{seen.name} is already with {names[to_therapist_id]}.")
    client = steps.lock_clients(uow, [client_id])[client_id]
    _require_unchanged(uow, seen, client, expected_from_therapist_id)
    now = clock.clinic_now(uow)
    active = client_id in caseloads.active_clients_among(uow, [client_id], now)
    overridden = require_capacity(uow, {to_therapist_id: int(active)}, capacity_override_reason)
    target = steps.target_of(
        uow, to_therapist_id, names[to_therapist_id], _email(uow, to_therapist_id)
    )
    moved = steps.move_rows(uow, [client], target, cutoff)
    from_name = names.get(client.therapist_id or "")
    transfer_id = steps.record_transfer(
        uow, actor, client, from_name, target, reason=reason, note=handover_note, now=now
    )
    if share_past_notes:
        steps.share_notes(uow, [client_id], to_therapist_id)
    steps.refresh_caches(uow, [client], target, moved)
    refresh_counters(uow, moved.old_therapists | {to_therapist_id}, now)
    result = TransferResult(
        transfer_id=transfer_id,
        client_id=client_id,
        client_name=client.name,
        from_therapist_id=client.therapist_id,
        from_therapist_name=from_name,
        to_therapist_id=to_therapist_id,
        to_therapist_name=target.name,
        moved_from=cutoff,
        appointments_moved=tuple(moved.appointments.get(client_id, ())),
        bookings_moved=tuple(moved.bookings.get(client_id, ())),
        notes_shared=share_past_notes,
        capacity_overridden=overridden,
    )
    _notify_one(uow, result, handover_note)
    audit.record(
        uow,
        "client.transferred",
        subject_type="client",
        subject_id=client_id,
        details=_details(result, reason, handover_note, capacity_override_reason),
    )
    uow.commit()
    return result


def _require_unchanged(
    uow: UnitOfWork, seen: steps.ClientFacts, now: steps.ClientFacts, expected: str | None
) -> None:
    """Two admins at once: the one who waited finds the client changed and applies nothing."""
    changed = now.therapist_id != seen.therapist_id
    if not changed and (expected is None or expected == now.therapist_id):
        return
    holder = uow.session.execute(
        sa.select(Therapist.name).where(Therapist.therapist_id == now.therapist_id)
    ).scalar_one_or_none()
    by = uow.session.execute(
        sa.select(ClientTransfer.transferred_by_admin_name)
        .where(
            ClientTransfer.client_name == now.name,
            ClientTransfer.client_email.is_not_distinct_from(now.email),
            ClientTransfer.to_therapist_id == now.therapist_id,
        )
        .order_by(ClientTransfer.transfer_id.desc())
        .limit(1)
    ).scalar_one_or_none()
    who = f" by {by}" if by else ""
    raise ConflictError(
        f"{now.name} was moved to {holder or 'no therapist'} (therapist {now.therapist_id}){who} "
        "meanwhile; nothing was changed. Look again before transferring."
    )


def _notify_one(uow: UnitOfWork, result: TransferResult, note: str | None) -> None:
    users = records.linked_user_ids(uow, [result.to_therapist_id, result.from_therapist_id or ""])
    when = moment_text(result.moved_from)
    if result.from_therapist_id:
        records.notify(
            uow,
            users.get(result.from_therapist_id, []),
            kind="client_transferred_out",
            title="Client transferred",
            message=f"{result.client_name} continues with {result.to_therapist_name} from {when}; "
            "your earlier sessions stay in your records.",
            related_id=result.client_id,
        )
    message = (
        f"{result.client_name} was transferred to you from "
        f"{result.from_therapist_name or 'no therapist'}; their sessions from {when} are yours."
    )
    if note:
        message += f" Handover note: {note}"
    if result.notes_shared:
        message += " You may read their earlier session notes."
    records.notify(
        uow,
        users.get(result.to_therapist_id, []),
        kind="client_transferred_in",
        title="New client",
        message=message,
        related_id=result.client_id,
    )


def _details(
    result: TransferResult, reason: str, note: str | None, override: str | None
) -> dict[str, object]:
    return {
        "transfer_id": result.transfer_id,
        "from": result.from_therapist_id,
        "to": result.to_therapist_id,
        "reason": reason,
        "handover_note": note,
        "moved_from": result.moved_from.isoformat(),
        "appointments": list(result.appointments_moved),
        "bookings": list(result.bookings_moved),
        "notes_shared": result.notes_shared,
        "capacity_override_reason": override if result.capacity_overridden else None,
    }


def _email(uow: UnitOfWork, therapist_id: str) -> str | None:
    fields = records.truth_fields(uow, therapist_id)
    return fields.email if fields else None


def _required(text: str | None, sentence: str) -> str:
    if text is None or not text.strip():
        raise ValidationError(sentence)
    return text.strip()
