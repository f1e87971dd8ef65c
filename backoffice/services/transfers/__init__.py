"""Client transfers: one client, or a departing therapist's whole caseload, to other active therapists.

A transfer moves the client's appointments and bookings from the effective date on (earlier ones
stay with whoever held them), reassigns the client, writes `client_transfer_history`, refreshes the
therapist dashboard caches and counters, notifies both therapists and writes an audit event, all in
one transaction. Row-level security follows at once: it reads the same `therapist_id` columns.
Everything not named here is internal.
"""

from backoffice.services.transfers.caseload import preview_caseload_transfer, transfer_caseload
from backoffice.services.transfers.client import ClientRow, find_clients, transfer_client
from backoffice.services.transfers.types import (
    CaseloadPreview,
    CaseloadTransferResult,
    PlannedMove,
    TargetLoad,
    TransferResult,
)

__all__ = [
    "CaseloadPreview",
    "CaseloadTransferResult",
    "ClientRow",
    "PlannedMove",
    "TargetLoad",
    "TransferResult",
    "find_clients",
    "preview_caseload_transfer",
    "transfer_caseload",
    "transfer_client",
]
