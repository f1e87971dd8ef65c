"""One finding of the therapist consistency check: the disagreement, in sentences, and its fix.

Internal to the consistency check; `unrepairable` is a finding the back-office reports but must not
fix (a website login's name, a counter whose meaning nobody chose).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from backoffice.db import UnitOfWork
from backoffice.services.therapists.types import Inconsistency

Fix = Callable[[UnitOfWork], object]


@dataclass(frozen=True)
class Finding:
    issue: Inconsistency
    fix: Fix


def finding(key: str, therapist_id: str | None, description: str, repair: str, fix: Fix) -> Finding:
    kind = key.split(":", 1)[0]
    return Finding(Inconsistency(key, kind, therapist_id, description, repair), fix)


def unrepairable(key: str, therapist_id: str | None, description: str, why: str) -> Finding:
    issue = Inconsistency(key, key.split(":", 1)[0], therapist_id, description, why, False)
    return Finding(issue, _refuse)


def _refuse(uow: UnitOfWork) -> None:
    raise AssertionError("an unrepairable finding is never applied")
