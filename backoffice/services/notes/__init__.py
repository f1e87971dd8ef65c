"""Session notes: the risk-first review queue, opening notes (on record before the database gives
their content), the reviewer's verdict, notes due, a client's sessions as this login may see them,
and repairing notes whose booking does not exist.

Notes themselves are never edited here; the one change the back-office makes to a note is linking
an orphaned one to its booking. What counts as high risk (`HIGH_RISK_LEVELS`, `NO_MENTION`) and
when a note is due (`NOTE_DEADLINE`) are defined once, in `risk` and `queue`; the clinical reports
and the dashboard read them from here. Risk language in a note's text: `find_risk_language`
(the matcher, for one text) and `scan_risk_language` (every note, in batches, on record, for the
queue and the risk-review report). Everything not named here is internal.
"""

from backoffice.risk_language import find_risk_language
from backoffice.services.notes.history import list_client_sessions
from backoffice.services.notes.queue import (
    NOTE_DEADLINE,
    list_my_notes_due,
    list_notes_due,
    list_review_queue,
)
from backoffice.services.notes.queue_counts import count_review_queue
from backoffice.services.notes.risk import HIGH_RISK_LEVELS, NO_MENTION, SCANNED_FIELDS
from backoffice.services.notes.risk_scan import RiskScanResult, ScanProgress, scan_risk_language
from backoffice.services.notes.types import (
    ClientSession,
    EarlierNote,
    LinkCandidate,
    LinkResult,
    NoteDetail,
    NoteField,
    NotesDueRow,
    Opening,
    OrphanNoteRow,
    QueueCounts,
    QueueRow,
    ReviewResult,
    ReviewRow,
    RiskSpan,
)
from backoffice.services.notes.workflows import (
    link_orphaned_note,
    list_link_candidates,
    list_orphaned_notes,
    open_note,
    open_notes,
    review_note,
)

__all__ = [
    "HIGH_RISK_LEVELS",
    "NOTE_DEADLINE",
    "NO_MENTION",
    "SCANNED_FIELDS",
    "ClientSession",
    "EarlierNote",
    "LinkCandidate",
    "LinkResult",
    "NoteDetail",
    "NoteField",
    "NotesDueRow",
    "Opening",
    "OrphanNoteRow",
    "QueueCounts",
    "QueueRow",
    "ReviewResult",
    "ReviewRow",
    "RiskScanResult",
    "RiskSpan",
    "ScanProgress",
    "count_review_queue",
    "find_risk_language",
    "link_orphaned_note",
    "list_client_sessions",
    "list_link_candidates",
    "list_my_notes_due",
    "list_notes_due",
    "list_orphaned_notes",
    "list_review_queue",
    "open_note",
    "open_notes",
    "review_note",
    "scan_risk_language",
]
