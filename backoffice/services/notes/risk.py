"""What counts as a high-risk note, a self-harm mention and risk language found in a note's text:
one definition each, in SQL and in Python.

The clinical reports and the dashboard read these through `services.notes`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from backoffice.models.safeguards import NoteRiskScan
from backoffice.services.orm_tables import table_of

HIGH_RISK_LEVELS = ("high", "severe", "critical", "imminent")
# What therapists write in `self_harm_mention` when there was none.
NO_MENTION = ("", "no", "none", "nil", "n/a", "na", "false", "denied", "not mentioned")
# The note's fields whose text is scanned for risk language, as a note is shown (arrays joined
# by ", "). `db provision` builds the scan's SQL from this list.
SCANNED_FIELDS = (
    "concerns_discussed",
    "somatic_cues",
    "interventions_used",
    "interventions_helpful",
    "client_participation",
    "goal_progress",
    "client_values",
    "self_harm_mention",
    "self_harm_details",
    "protective_factors",
    "health_history",
    "past_diagnoses",
    "next_session_plan",
    "homework_suggested",
)
risk_scans = table_of(NoteRiskScan)


def _normalised(column: Any) -> Any:
    return sa.func.lower(sa.func.btrim(sa.func.coalesce(column, "")))


def self_harm(column: Any) -> Any:
    return _normalised(column).not_in(NO_MENTION)


def high_risk_level(column: Any) -> Any:
    return _normalised(column).in_(HIGH_RISK_LEVELS)


def text_flagged(note_id: Any) -> Any:
    """SQL: the risk scan found risk language in the note's text (at its last scan)."""
    return sa.exists().where(risk_scans.c.note_id == note_id, risk_scans.c.phrases > 0)


# The same rules for hand-written SQL, on a note table aliased `n` (the lists are constants).
def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


SELF_HARM_SQL = f"lower(btrim(coalesce(n.self_harm_mention, ''))) NOT IN ({_quoted(NO_MENTION)})"
HIGH_LEVEL_SQL = (
    f"lower(btrim(coalesce(n.current_risk_level, ''))) IN ({_quoted(HIGH_RISK_LEVELS)})"
)
TEXT_FLAGGED_SQL = (
    "EXISTS (SELECT 1 FROM backoffice.note_risk_scans s WHERE s.note_id = n.note_id "
    "AND s.phrases > 0)"
)
NEEDS_RISK_REVIEW_SQL = f"({HIGH_LEVEL_SQL} OR {SELF_HARM_SQL} OR {TEXT_FLAGGED_SQL})"


def needs_risk_review(level: Any, mention: Any, note_id: Any) -> Any:
    """SQL: the note goes to the top of the review queue (a high risk level, a self-harm mention,
    or risk language in its text)."""
    return sa.or_(high_risk_level(level), self_harm(mention), text_flagged(note_id))


def is_self_harm(text: str | None) -> bool:
    return (text or "").strip().lower() not in NO_MENTION


def is_high_level(level: str | None) -> bool:
    return (level or "").strip().lower() in HIGH_RISK_LEVELS


def is_high_risk(level: str | None, mention: str | None) -> bool:
    return is_high_level(level) or is_self_harm(mention)
