"""Walking the audit chain from its first event to its head, in keyset batches: the first event
edited, deleted or inserted out of order is named in one sentence."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from backoffice.services.audit import Executes
from backoffice.services.audit_trail import sentences
from backoffice.services.audit_trail.rows import (
    GENESIS,
    StoredEvent,
    begin_walk,
    first_unchained,
    read_batch,
    read_head,
)
from backoffice.services.audit_trail.types import ChainCheck, ChainHead, EventRef

BATCH_SIZE = 5_000
# progress(events_verified, events_in_the_chain)
ChainProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Problem:
    event_id: int  # where it was found: of two problems, the earlier event's is told
    sentence: str


class _Walk:
    """The chain so far: its last place, hash and event, and the anchors met on the way."""

    def __init__(self, head: ChainHead, anchors: Mapping[int, bytes]) -> None:
        self.head, self.anchors = head, anchors
        self.seq, self.prev_hash = 0, GENESIS
        self.last: EventRef | None = None
        self.verified = 0
        self.anchors_met: set[int] = set()

    def step(self, event: StoredEvent) -> _Problem | None:
        problem = self._check(event)
        if problem is None:
            self.seq, self.prev_hash, self.last = event.seq, event.row_hash, event.ref()
            self.verified += 1
        return problem

    def _check(self, event: StoredEvent) -> _Problem | None:
        ref = event.ref()
        if event.seq > self.head.length:
            return _Problem(event.event_id, sentences.not_chained(ref))
        if event.seq != self.seq + 1:
            missing = event.seq - self.seq - 1
            return _Problem(event.event_id, sentences.deleted_between(missing, self.last, ref))
        if event.prev_hash != self.prev_hash:
            return _Problem(event.event_id, sentences.not_following(ref, self.last))
        if event.recomputed_hash() != event.row_hash:
            return _Problem(event.event_id, sentences.changed(ref))
        return self._anchored(event, ref)

    def _anchored(self, event: StoredEvent, ref: EventRef) -> _Problem | None:
        anchored = self.anchors.get(event.event_id)
        if anchored is None:
            return None
        self.anchors_met.add(event.event_id)
        if anchored != event.row_hash:
            return _Problem(event.event_id, sentences.rewritten(ref, anchored))
        return None

    def finish(self) -> _Problem | None:
        """What the head and the anchors say once every event was met."""
        after_last = self.last.event_id + 1 if self.last else 0
        if self.seq < self.head.length:
            missing = self.head.length - self.seq
            return _Problem(after_last, sentences.deleted_at_end(missing, self.last))
        if self.last is not None and self.prev_hash != self.head.last_hash:
            return _Problem(self.last.event_id, sentences.head_disagrees(self.last))
        gone = sorted(set(self.anchors) - self.anchors_met)
        return _Problem(gone[0], sentences.anchored_missing(gone[0])) if gone else None


def walk_chain(
    db: Executes,
    *,
    anchors: Mapping[int, bytes] | None = None,
    batch_size: int = BATCH_SIZE,
    progress: ChainProgress | None = None,
) -> ChainCheck:
    """Walk the chain in the caller's transaction (one snapshot: REPEATABLE READ, begun by the
    caller); `anchors` maps event ids to the hashes recorded for them elsewhere."""
    begin_walk(db)
    head = read_head(db)
    walk = _Walk(head, anchors or {})
    problem = _walk_batches(db, walk, batch_size, progress) or walk.finish()
    unchained = first_unchained(db)
    if unchained is not None and (problem is None or unchained.event_id < problem.event_id):
        problem = _Problem(unchained.event_id, sentences.not_chained(unchained))
    return ChainCheck(
        intact=problem is None,
        verified=walk.verified,
        last_verified=walk.last,
        head=head,
        problem=None if problem is None else problem.sentence,
    )


def _walk_batches(
    db: Executes, walk: _Walk, batch_size: int, progress: ChainProgress | None
) -> _Problem | None:
    after = 0
    while batch := read_batch(db, after, batch_size):
        for event in batch:
            problem = walk.step(event)
            if problem is not None:
                return problem
        after = batch[-1].seq
        if progress is not None:
            progress(walk.verified, walk.head.length)
    return None
