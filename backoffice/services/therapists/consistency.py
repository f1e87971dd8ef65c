"""The therapist consistency check: every disagreement between `therapists`, `users`, staff accounts,
approved applications and the booking counters, and its repair (one, or all), each written to the audit trail.

Repairs copy the truth (`records.shared_fields`) into whatever disagrees, create what is missing,
and never delete anything; what is found, and how each finding is fixed, is in
`consistency_findings`.
"""

from __future__ import annotations

import sqlalchemy as sa

from backoffice.db import UnitOfWork
from backoffice.errors import BackofficeError, ConflictError, ValidationError
from backoffice.services import audit
from backoffice.services.permissions import Actor, Permission, require
from backoffice.services.therapists import consistency_checks as checks
from backoffice.services.therapists.consistency_findings import Finding, findings
from backoffice.services.therapists.types import ConsistencyReport, Inconsistency, RepairResult

_REPAIR_LOCK = 0x7265_7061  # one repair at a time: each re-reads what it is about to fix
_PASSES = 4  # repair-all checks again after each pass: a restored therapist may then need a user


def check_consistency(uow: UnitOfWork, actor: Actor) -> ConsistencyReport:
    """List every disagreement, each with a sentence saying what is wrong and what a repair does.

    Permission: VIEW_DATA_QUALITY. Read only. Raises PermissionDenied.
    """
    require(actor, Permission.VIEW_DATA_QUALITY)
    snap = checks.take_snapshot(uow)
    return ConsistencyReport(tuple(f.issue for f in findings(snap)), len(snap.therapists))


def repair_inconsistency(
    uow: UnitOfWork, actor: Actor, *, key: str | None = None, repair_all: bool = False
) -> RepairResult:
    """Repair the inconsistency `key` (from `check_consistency`), or every one with `repair_all`.

    Permission: MANAGE_THERAPISTS. One transaction; audit "therapist.consistency_repaired" per
    repair. With `repair_all`, a repair that cannot be made is skipped and listed as remaining.
    Raises PermissionDenied, ValidationError (neither or both asked), ConflictError (that
    inconsistency is gone, or its repair collides with other data).
    """
    require(actor, Permission.MANAGE_THERAPISTS)
    if (key is None) != repair_all:
        raise ValidationError("Choose one inconsistency to repair, or ask to repair them all.")
    uow.session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _REPAIR_LOCK})
    repaired = [_repair_one(uow, key)] if key is not None else _repair_everything(uow)
    remaining = tuple(f.issue for f in findings(checks.take_snapshot(uow)))
    uow.commit()
    return RepairResult(tuple(repaired), remaining)


def _repair_one(uow: UnitOfWork, key: str) -> Inconsistency:
    found = [f for f in findings(checks.take_snapshot(uow)) if f.issue.key == key]
    if not found:
        raise ConflictError(
            "That inconsistency is no longer there (repaired meanwhile, or the data changed); "
            "refresh the list."
        )
    if not found[0].issue.repairable:
        raise ValidationError(found[0].issue.repair)
    _apply(uow, found[0])
    return found[0].issue


def _repair_everything(uow: UnitOfWork) -> list[Inconsistency]:
    repaired: list[Inconsistency] = []
    failed: set[str] = set()
    for _ in range(_PASSES):
        todo = [
            f
            for f in findings(checks.take_snapshot(uow))
            if f.issue.key not in failed and f.issue.repairable
        ]
        if not todo:
            break
        for finding in todo:
            try:
                with uow.session.begin_nested():
                    _apply(uow, finding)
            except BackofficeError:
                failed.add(finding.issue.key)
            else:
                repaired.append(finding.issue)
    return repaired


def _apply(uow: UnitOfWork, finding: Finding) -> None:
    finding.fix(uow)
    issue = finding.issue
    audit.record(
        uow,
        "therapist.consistency_repaired",
        subject_type="therapist",
        subject_id=issue.therapist_id or issue.key,
        details={
            "key": issue.key,
            "kind": issue.kind,
            "problem": issue.description,
            "repair": issue.repair,
        },
    )
