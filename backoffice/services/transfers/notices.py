"""What a transfer leaves for people to read: the therapists' notifications and the audit events.

Internal to `services.transfers`; written in the transfer's own transaction.
"""

from __future__ import annotations

from backoffice.db import UnitOfWork
from backoffice.services import audit
from backoffice.services.therapists import records
from backoffice.services.transfers.types import CaseloadTransferResult, TransferResult
from backoffice.values import moment_text


def notify_client_moved(uow: UnitOfWork, result: TransferResult, note: str | None) -> None:
    """Tell the therapist who gave the client (if any) and the one who takes them over."""
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
    records.notify(
        uow,
        users.get(result.to_therapist_id, []),
        kind="client_transferred_in",
        title="New client",
        message=_welcome_client(result, when, note),
        related_id=result.client_id,
    )


def _welcome_client(result: TransferResult, when: str, note: str | None) -> str:
    message = (
        f"{result.client_name} was transferred to you from "
        f"{result.from_therapist_name or 'no therapist'}; their sessions from {when} are yours."
    )
    if note:
        message += f" Handover note: {_sentence(note)}"
    if result.notes_shared:
        message += " You may read their earlier session notes."
    return message


def _sentence(text: str) -> str:
    """The admin's note as a sentence of its own, so that the next one does not run into it."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def notify_caseload_moved(
    uow: UnitOfWork, result: CaseloadTransferResult, note: str | None
) -> None:
    """Tell the departing therapist once, and each receiving therapist which clients they took."""
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
        records.notify(
            uow,
            users.get(therapist_id, []),
            kind="client_transferred_in",
            title="New clients",
            message=_welcome_clients(result, moved, when, note),
            related_id=result.from_therapist_id,
        )


def _welcome_clients(
    result: CaseloadTransferResult, moved: list[TransferResult], when: str, note: str | None
) -> str:
    names = ", ".join(t.client_name for t in moved)
    message = (
        f"{len(moved)} clients of {result.from_therapist_name} were transferred to you; "
        f"their sessions from {when} are yours: {names}."
    )
    if note:
        message += f" Handover note: {_sentence(note)}"
    return message


def audit_client_moved(
    uow: UnitOfWork,
    result: TransferResult,
    *,
    reason: str,
    note: str | None,
    override: str | None,
    caseload: bool = False,
) -> None:
    """The "client.transferred" event; `caseload` marks one client of a whole-caseload transfer."""
    details = _details(result, reason, note, override)
    if caseload:
        details["caseload"] = True
    audit.record(
        uow,
        "client.transferred",
        subject_type="client",
        subject_id=result.client_id,
        details=details,
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


def audit_caseload_moved(
    uow: UnitOfWork,
    result: CaseloadTransferResult,
    *,
    reason: str,
    note: str | None,
    override: str | None,
) -> None:
    """One "client.transferred" event per client, then "caseload.transferred" for the whole.
    `override` is the capacity override reason when the override was needed, else None."""
    for transfer in result.transfers:
        audit_client_moved(
            uow, transfer, reason=reason, note=note, override=override, caseload=True
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
