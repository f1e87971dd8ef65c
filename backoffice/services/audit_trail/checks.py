"""The audit chain's checks: the admin's (Audit log page, `clinic.check_audit_trail`), and the
command line's, whose login may be the database owner (no staff account): `verify_audit_chain`
and the anchor line `audit_anchor` prints for the daily export."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from backoffice.db import UnitOfWork
from backoffice.errors import ValidationError
from backoffice.services.audit_trail.rows import read_head
from backoffice.services.audit_trail.types import ChainCheck
from backoffice.services.audit_trail.walk import BATCH_SIZE, ChainProgress, walk_chain
from backoffice.services.clock import CLINIC_TIMEZONE, clinic_now
from backoffice.services.permissions import Actor, Permission, require
from backoffice.values import datetime_text

# "event 1204 (…), sha256:<64 hex digits>": how a report's first page and the daily export
# write an anchor; anything else on the line is ignored.
_ANCHOR = re.compile(r"\bevent (\d+)\b.*?\bsha256:([0-9a-f]{64})\b", re.IGNORECASE)


def check_audit_trail(
    uow: UnitOfWork, actor: Actor, *, progress: ChainProgress | None = None
) -> ChainCheck:
    """Walk the whole audit chain and say whether it is intact, or the first event edited,
    deleted or inserted out of order.

    Permission: VIEW_AUDIT_LOG. Read only, one REPEATABLE READ snapshot; no audit event.
    Raises PermissionDenied, ValidationError (a database whose trail is not chained).
    """
    require(actor, Permission.VIEW_AUDIT_LOG)
    _snapshot(uow)
    return walk_chain(uow.session, progress=progress)


def verify_audit_chain(
    engine: Engine,
    *,
    anchors: str | None = None,
    progress: ChainProgress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ChainCheck:
    """`check_audit_trail` for the command line, whose login may be the database owner (not a
    staff member); `anchors` is the text of anchor lines kept elsewhere (`audit_anchor`'s, lines
    copied from reports), each checked on the way.

    Permission: the database's: a login that may read every audit event (the owner, an admin).
    Read only, one REPEATABLE READ snapshot; no audit event. Raises PermissionDenied (from the
    database), ValidationError (not chained; anchors text without any anchor).
    """
    anchored = parse_anchors(anchors) if anchors is not None else None
    with UnitOfWork(engine) as uow:
        _snapshot(uow)
        return walk_chain(uow.session, anchors=anchored, batch_size=batch_size, progress=progress)


def audit_anchor(engine: Engine) -> str:
    """The line to keep where the database owner cannot change it (the daily export): when, which
    database, and the chain's latest event and hash, as a report's first page prints it.

    Permission: any login of the clinic (every group may read the head). Read only; no audit event.
    Raises ValidationError (not chained).
    """
    with UnitOfWork(engine) as uow:
        head, now = read_head(uow.session), clinic_now(uow)
    zone = ZoneInfo(CLINIC_TIMEZONE).tzname(now) or CLINIC_TIMEZONE
    return f"{datetime_text(now)} {zone} · {engine.url.database} · {head.anchor_text()}"


def parse_anchors(text: str) -> dict[int, bytes]:
    """Event id -> hash of every anchor line in `text`. Raises ValidationError when no line holds
    an anchor."""
    anchors = {int(m[1]): bytes.fromhex(m[2]) for m in map(_ANCHOR.search, text.splitlines()) if m}
    if not anchors:
        raise ValidationError(
            "No anchor was found: each line should hold 'event N' and 'sha256:' with 64 hex "
            "digits, as `backoffice audit anchor` and a report's first page write them."
        )
    return anchors


def _snapshot(uow: UnitOfWork) -> None:
    """Every batch of one walk reads the same snapshot, so the chain cannot move under it."""
    db = uow.session
    if not db.in_transaction() and isinstance(db.get_bind(), Engine):
        db.connection(execution_options={"isolation_level": "REPEATABLE READ"})
