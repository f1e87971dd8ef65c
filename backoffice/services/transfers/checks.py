"""What a transfer refuses: no reason, a therapist who cannot receive, a therapist over capacity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from backoffice.db import UnitOfWork
from backoffice.errors import NotFound, ValidationError
from backoffice.services.therapists import caseloads, registrations
from backoffice.values import date_text


def required_reason(reason: str | None) -> str:
    """The admin's reason for the transfer, trimmed; there must be one."""
    if reason is None or not reason.strip():
        raise ValidationError("Give the reason for the transfer.")
    return reason.strip()


def check_targets(
    uow: UnitOfWork,
    target_ids: Iterable[str],
    names: Mapping[str, str],
    *,
    from_therapist_id: str | None,
) -> None:
    """Every receiving therapist exists, is not the one giving the clients, is active, and their
    registration has not expired."""
    ids = list(target_ids)
    for therapist_id in ids:
        if therapist_id not in names:
            raise NotFound(f"There is no therapist with the id {therapist_id}.")
        if therapist_id == from_therapist_id:
            raise ValidationError(f"{names[therapist_id]} cannot take over their own caseload.")
    inactive = sorted(caseloads.inactive_among(uow, ids))
    if inactive:
        raise ValidationError(f"{names[inactive[0]]} is deactivated and takes no new clients.")
    expired = registrations.expired_among(uow, ids)
    if expired:
        first = sorted(expired)[0]
        raise ValidationError(
            f"{names[first]}'s registration expired on {date_text(expired[first])}: they take no "
            "new clients until it is renewed."
        )


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
