"""Session-note review: the risk-first queue, opening a note (on record before it is shown), the
reviewer's verdict, notes due, and repairing notes whose booking does not exist.

Notes themselves are never edited here; the one change the back-office makes to a note is linking
an orphaned one to its booking. What counts as high risk (`HIGH_RISK_LEVELS`, `NO_MENTION`) and
when a note is due (`NOTE_DEADLINE`) are defined once, in `risk` and `queue`; the clinical reports
and the dashboard read them from here. Everything not named here is internal.
"""

from backoffice.services.notes.queue import NOTE_DEADLINE, list_notes_due, list_review_queue
from backoffice.services.notes.risk import HIGH_RISK_LEVELS, NO_MENTION
from backoffice.services.notes.types import (
    EarlierNote,
    LinkCandidate,
    LinkResult,
    NoteDetail,
    NoteField,
    NotesDueRow,
    OrphanNoteRow,
    QueueRow,
    ReviewResult,
    ReviewRow,
)
from backoffice.services.notes.workflows import (
    link_orphaned_note,
    list_link_candidates,
    list_orphaned_notes,
    open_note,
    review_note,
)

__all__ = [
    "HIGH_RISK_LEVELS",
    "NOTE_DEADLINE",
    "NO_MENTION",
    "EarlierNote",
    "LinkCandidate",
    "LinkResult",
    "NoteDetail",
    "NoteField",
    "NotesDueRow",
    "OrphanNoteRow",
    "QueueRow",
    "ReviewResult",
    "ReviewRow",
    "link_orphaned_note",
    "list_link_candidates",
    "list_notes_due",
    "list_orphaned_notes",
    "list_review_queue",
    "open_note",
    "review_note",
]
