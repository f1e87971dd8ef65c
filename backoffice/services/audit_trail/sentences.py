"""What a broken chain is told as: one sentence naming the first event edited, deleted or inserted
out of order."""

from __future__ import annotations

from backoffice.services.audit_trail.types import EventRef
from backoffice.values import counted, id_text


def changed(event: EventRef) -> str:
    return f"{_cap(event.text())} was changed after it was written."


def head_disagrees(event: EventRef) -> str:
    return (
        f"{_cap(event.text())} was changed after it was written: the chain's head recorded "
        "another hash for it."
    )


def deleted_between(count: int, before: EventRef | None, after: EventRef) -> str:
    were = "was" if count == 1 else "were"
    if before is None:
        return (
            f"{_cap(counted(count, 'event'))} at the start of the chain, before {after.text()}, "
            f"{were} deleted."
        )
    return (
        f"{_cap(counted(count, 'event'))} written between {before.text()} and {after.text()} "
        f"{were} deleted."
    )


def deleted_at_end(count: int, last: EventRef | None) -> str:
    were = "was" if count == 1 else "were"
    if last is None:
        return f"Every event of the chain ({counted(count, 'event')}) {were} deleted."
    return (
        f"{_cap(counted(count, 'event'))} written after {last.text()} {were} deleted from the "
        "end of the chain."
    )


def not_chained(event: EventRef) -> str:
    return (
        f"{_cap(event.text())} was inserted out of order: it was not chained when it was written."
    )


def not_following(event: EventRef, before: EventRef | None) -> str:
    if before is None:
        return (
            f"{_cap(event.text())} was inserted out of order: it does not follow the start of "
            "the chain."
        )
    return (
        f"{_cap(event.text())} does not follow {before.text()} in the chain: it was inserted "
        "out of order, or the event before it was changed and its hash recomputed."
    )


def rewritten(event: EventRef, anchored: bytes) -> str:
    return (
        f"{_cap(event.text())} does not carry the hash anchored for it "
        f"(sha256:{anchored.hex()[:16]}…): the chain was rewritten up to it."
    )


def anchored_missing(event_id: int) -> str:
    return f"Event {id_text(event_id)}, whose hash was anchored, is no longer in the chain."


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
