"""Audit events: every workflow writes one in its own transaction, so a change and its record
commit or roll back together. Who did it is `session_user`, filled in by the database."""

from __future__ import annotations

import json
from typing import Any, Protocol

from sqlalchemy import text

from backoffice.db import UnitOfWork

# Plain SQL on purpose: finance and therapists may insert events but not read them, so the
# statement must not ask for the generated id back (the ORM would, with RETURNING).
_INSERT = text(
    "INSERT INTO backoffice.audit_events (action, subject_type, subject_id, details) "
    "VALUES (:action, :subject_type, :subject_id, CAST(:details AS jsonb))"
)


class Executes(Protocol):
    """A Session or a Connection: whatever runs the caller's transaction."""

    def execute(self, statement: Any, parameters: Any = ..., /) -> Any: ...


def record(
    uow: UnitOfWork,
    action: str,
    *,
    subject_type: str,
    subject_id: str | int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append an audit event (insert only: no role may change what it wrote)."""
    append_event(
        uow.session, action, subject_type=subject_type, subject_id=subject_id, details=details
    )


def append_event(
    executor: Executes,
    action: str,
    *,
    subject_type: str,
    subject_id: str | int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """`record` for code that holds a plain connection (the owner's command-line work)."""
    executor.execute(
        _INSERT,
        {
            "action": action,
            "subject_type": subject_type,
            "subject_id": None if subject_id is None else str(subject_id),
            "details": json.dumps(details or {}, default=str),
        },
    )
