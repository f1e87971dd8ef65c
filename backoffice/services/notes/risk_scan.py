"""Scanning session notes for risk language: SQL chooses the candidates, the matcher reads them.

Each batch goes through the database's own doors (`backoffice.risk_scan_next`,
`read_risk_scan_batch`, `store_risk_scan`, created by `db provision`): the server applies the
lexicon's prefilter to the next notes not yet scanned at this lexicon version and `updated_at`,
puts the candidates on record (one opening batch, one audit event), gives their text to this
login in a transaction of its own, and stores what `risk_language.scan` found. Notes the
prefilter rules out never leave the server. A new lexicon version or an edited note is scanned
again; a note already scanned is not.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from backoffice.db import UnitOfWork, raised_as
from backoffice.errors import BackofficeError, ConflictError, PermissionDenied, ValidationError
from backoffice.risk_language import LEXICON_VERSION, scan
from backoffice.services.changes import Area, Changes
from backoffice.services.permissions import Actor, Permission, require

BATCH_SIZE = 500
ScanProgress = Callable[[int, int], None]  # (notes examined so far, notes flagged so far)

_NEXT = sa.text("SELECT * FROM backoffice.risk_scan_next(:after, :limit)")
_READ = sa.text("SELECT * FROM backoffice.read_risk_scan_batch(:batch_id)")
_STORE = sa.text(
    "SELECT * FROM backoffice.store_risk_scan(:batch_id, :version, CAST(:results AS jsonb))"
)
_ERRORS: dict[str, type[BackofficeError]] = {
    "42501": PermissionDenied,
    "22023": ValidationError,
    "55000": ConflictError,
}


@dataclass(frozen=True)
class RiskScanResult:
    """What one run of the scan did. `complete` is False when it stopped early (cancelled, or
    `max_batches` reached): the next run goes on where it stopped."""

    examined: int  # notes scanned (new, edited, or scanned with another lexicon version)
    candidates: int  # of them, the ones the SQL prefilter let through to the matcher
    flagged: int  # of those, the notes in which the matcher found risk language
    batches: int
    lexicon_version: str
    complete: bool

    @property
    def changes(self) -> Changes:
        """The queue changed when notes were scanned: flagged, or cleared after an edit."""
        return Changes.of(Area.NOTES) if self.examined else Changes()


def scan_risk_language(
    uow: UnitOfWork,
    actor: Actor,
    *,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    progress: ScanProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RiskScanResult:
    """Scan the notes not yet scanned with this lexicon version at their current text, in
    batches of `batch_size`, until none is left (or `max_batches`, or `cancelled()`).

    Permission: REVIEW_NOTES (the database lets admins only). Three transactions a batch on
    connections of its own, as the same login (the caller's unit of work is not used): the
    batch on record with audit event "notes.scanned", committed; its text read; the phrases
    stored. Raises PermissionDenied, ValidationError (the database's lexicon version differs:
    `db provision` it), ConflictError.
    """
    require(actor, Permission.REVIEW_NOTES)
    return run_risk_scan(
        uow.session.get_bind().engine,
        batch_size=batch_size,
        max_batches=max_batches,
        progress=progress,
        cancelled=cancelled,
    )


def run_risk_scan(
    engine: Engine,
    *,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    progress: ScanProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RiskScanResult:
    """The batch loop itself, as the engine's login (the database functions let admins only)."""
    after: int | None = None
    totals = [0, 0, 0, 0]  # examined, candidates, flagged, batches
    while max_batches is None or totals[3] < max_batches:
        if cancelled is not None and cancelled():
            return _result(totals, complete=False)
        step = _next_batch(engine, after, batch_size)
        if not step.examined:
            return _result(totals, complete=True)
        flagged = _scan_batch(engine, step.batch_id) if step.batch_id is not None else 0
        after = step.last_note_id
        for i, n in enumerate((step.examined, len(step.candidates or ()), flagged, 1)):
            totals[i] += n
        if progress is not None:
            progress(totals[0], totals[2])
    return _result(totals, complete=False)


def _next_batch(engine: Engine, after: int | None, limit: int) -> Any:
    with raised_as(_ERRORS), UnitOfWork(engine) as own:
        step = own.session.execute(_NEXT, {"after": after, "limit": limit}).one()
        own.commit()
    return step


def _scan_batch(engine: Engine, batch_id: int) -> int:
    """Read the batch's text (a transaction that writes nothing), scan it, store what was found;
    how many notes were flagged."""
    with raised_as(_ERRORS), UnitOfWork(engine) as own:
        rows = own.session.execute(_READ, {"batch_id": batch_id}).all()
    results = json.dumps(note_results(rows))
    params = {"batch_id": batch_id, "version": LEXICON_VERSION, "results": results}
    with raised_as(_ERRORS), UnitOfWork(engine) as own:
        stored = own.session.execute(_STORE, params).one()
        own.commit()
    return int(stored.flagged)


def note_results(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Per note (rows of note_id, updated_at, field, content), the matches of each field."""
    notes: dict[int, dict[str, Any]] = {}
    for row in rows:
        updated = row.updated_at.isoformat() if row.updated_at is not None else None
        note = notes.setdefault(
            row.note_id, {"note_id": row.note_id, "updated_at": updated, "matches": []}
        )
        note["matches"].extend(
            {
                "field": row.field,
                "phrase": m.phrase,
                "start": m.start,
                "end": m.end,
                "entry": m.entry_id,
                "category": m.category.value,
            }
            for m in scan(row.content)
        )
    return list(notes.values())


def _result(totals: list[int], *, complete: bool) -> RiskScanResult:
    examined, candidates, flagged, batches = totals
    return RiskScanResult(examined, candidates, flagged, batches, LEXICON_VERSION, complete)
