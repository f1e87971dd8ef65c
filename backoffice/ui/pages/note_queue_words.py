"""How the note review queue words its lines and its size: sections, outcomes, the columns, and
"1,460 notes to review (6 high risk)" (the queue's true size, not the lines listed)."""

from __future__ import annotations

from backoffice.services.notes import QueueCounts, QueueRow
from backoffice.ui.widgets.record_table_model import Column
from backoffice.values import count_text, counted, datetime_text, id_text

SECTIONS = {
    "risk": "High risk",
    "unreviewed": "To review",
    "due": "Note due",
    "reviewed": "Reviewed",
}
OUTCOMES = (
    ("follow_up", "Follow up with the therapist"),
    ("safety_plan", "Safety plan needed"),
    ("escalated", "Escalated"),
    ("no_action", "No action"),
)


def session_when(row: QueueRow) -> str:
    return datetime_text(row.session_at) if row.session_at else ""


def _outcome(row: QueueRow) -> str:
    if row.outcome:
        return dict(OUTCOMES).get(row.outcome, row.outcome)
    return "" if row.hours_overdue is None else f"{counted(row.hours_overdue, 'hour')} late"


COLUMNS: tuple[Column[QueueRow], ...] = (
    Column("Queue", lambda r: SECTIONS[r.kind]),
    Column("Client", lambda r: r.client_name or ""),
    Column("Therapist", lambda r: r.therapist_name or ""),
    Column("Session", session_when),
    Column("Risk", lambda r: r.risk_level or ""),
    Column("Why", lambda r: r.risk_reason),
    Column("Outcome or delay", _outcome),
    Column("Note id", lambda r: id_text(r.note_id) if r.note_id else "", numeric=True),
)


def queue_words(counts: QueueCounts, shown: int, text_risk: int = 0) -> str:
    """ "1,460 notes to review (6 high risk, 2 by their text) · 5 notes due · the first 205 shown";
    `text_risk`: the listed high-risk lines the risk-language scan flagged."""
    parts = []
    if counts.to_review or not counts.reviewed:
        by_text = f", {count_text(text_risk)} by their text" if text_risk else ""
        parts.append(
            f"{counted(counts.to_review, 'note')} to review ({counts.risk} high risk{by_text})"
        )
    if counts.due:
        parts.append(f"{counted(counts.due, 'note')} due")
    if counts.reviewed:
        parts.append(f"{counted(counts.reviewed, 'note')} reviewed")
    if shown < counts.to_review + counts.due + counts.reviewed:
        parts.append(f"the first {count_text(shown)} shown")
    return " · ".join(parts)
