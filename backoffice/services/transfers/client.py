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
from backoffice.services import clock
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.therapists import caseloads, records
from backoffice.services.therapists.counters import refresh_counters
from backoffice.services.transfers import facts, notices
from backoffice.services.transfers.checks import check_targets, require_capacity, required_reason
from backoffice.services.transfers.cutoff import transfer_cutoff
from backoffice.services.transfers.handover import Handover, hand_over
from backoffice.services.transfers.types import TransferResult


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
    reason = required_reason(reason)
    seen = _read_client(uow, client_id)
    cutoff = transfer_cutoff(uow, effective_date)
    client, names = _lock(uow, seen, to_therapist_id, expected_from_therapist_id)
    now = clock.clinic_now(uow)
    overridden = _capacity_overridden(uow, client, to_therapist_id, now, capacity_override_reason)
    handover = Handover(actor, cutoff, now, reason, handover_note, share_past_notes, overridden)
    (result,), moved = hand_over(uow, handover, [client], to_therapist_id, names)
    refresh_counters(uow, moved.old_therapists | {to_therapist_id}, now)
    notices.notify_client_moved(uow, result, handover_note)
    notices.audit_client_moved(
        uow, result, reason=reason, note=handover_note, override=capacity_override_reason
    )
    uow.commit()
    return result


def _read_client(uow: UnitOfWork, client_id: str) -> facts.ClientFacts:
    """The client before anything is locked, to compare with once the locks are held."""
    seen = facts.read_clients(uow, [client_id]).get(client_id)
    if seen is None:
        raise NotFound(f"There is no client with the id {client_id}.")
    return seen


def _lock(
    uow: UnitOfWork, seen: facts.ClientFacts, to_therapist_id: str, expected: str | None
) -> tuple[facts.ClientFacts, dict[str, str]]:
    """Lock both therapists, then the client: (the client now, the therapists' names by id).
    Refuses a therapist who cannot take the client, and a client changed since `seen`."""
    names = records.lock_therapists(uow, [to_therapist_id, *filter(None, [seen.therapist_id])])
    check_targets(uow, [to_therapist_id], names, from_therapist_id=None)
    if to_therapist_id == seen.therapist_id:
        raise ValidationError(f"{seen.name} is already with {names[to_therapist_id]}.")
    client = facts.lock_clients(uow, [seen.client_id])[seen.client_id]
    _require_unchanged(uow, seen, client, expected)
    return client, names


def _capacity_overridden(
    uow: UnitOfWork,
    client: facts.ClientFacts,
    to_therapist_id: str,
    now: dt.datetime,
    override_reason: str | None,
) -> bool:
    """A client with sessions to come counts against the new therapist's capacity."""
    active = client.client_id in caseloads.active_clients_among(uow, [client.client_id], now)
    return require_capacity(uow, {to_therapist_id: int(active)}, override_reason)


def _require_unchanged(
    uow: UnitOfWork, seen: facts.ClientFacts, now: facts.ClientFacts, expected: str | None
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
