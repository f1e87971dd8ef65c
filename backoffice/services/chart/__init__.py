"""The client chart: a therapist's caseload, one client's sessions on a timeline with their notes'
risk over time (shared history included where a transfer allowed it), and the additional notes
therapists write on their own sessions. Reading a note's content goes through `notes.open_note`,
which puts the reading on record first. Everything not named here is internal.
"""

from backoffice.services.chart.caseload import list_caseload
from backoffice.services.chart.reads import get_chart
from backoffice.services.chart.types import (
    AdditionalNote,
    AdditionalNoteResult,
    CaseloadRow,
    ChartClient,
    ChartEntry,
    ClientChart,
    TransferRow,
)
from backoffice.services.chart.writing import (
    ADDITIONAL_NOTE_MAX_CHARS,
    add_additional_note,
    checked_note_text,
)

__all__ = [
    "ADDITIONAL_NOTE_MAX_CHARS",
    "AdditionalNote",
    "AdditionalNoteResult",
    "CaseloadRow",
    "ChartClient",
    "ChartEntry",
    "ClientChart",
    "TransferRow",
    "add_additional_note",
    "checked_note_text",
    "get_chart",
    "list_caseload",
]
