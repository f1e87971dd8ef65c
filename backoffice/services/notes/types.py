"""What the session-note services return: frozen values, never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, Literal

from backoffice.services.changes import Area, Changes
from backoffice.services.notes.risk import is_high_level

QueueKind = Literal["risk", "unreviewed", "due", "reviewed"]


@dataclass(frozen=True)
class QueueRow:
    """One line of the review queue: a note to review, or a session still waiting for its note.

    `kind` is the queue's section, in order: "risk" (high risk or self-harm, not reviewed),
    "unreviewed", "due" (a completed session with no note 48 hours after it ended: `note_id` is
    None), then "reviewed" when the filter asks for reviewed notes too.
    """

    kind: QueueKind
    note_id: int | None
    booking_id: str | None
    therapist_id: str | None
    therapist_name: str | None
    client_name: str | None
    session_at: dt.datetime | None
    written_at: dt.datetime | None
    risk_level: str | None
    self_harm: bool
    outcome: str | None  # the latest review's
    hours_overdue: int | None  # "due" rows: hours past the 48-hour deadline
    text_risk: bool = False  # the risk scan found risk language in the note's text
    risk_phrases: tuple[str, ...] = ()  # what it found (read on record, for admins)

    @property
    def risk_reason(self) -> str:
        """Why the note is in the risk section, in words: "Text mentions: 'marna chahti hoon'"."""
        reasons = []
        if is_high_level(self.risk_level):
            reasons.append(f"Risk level {(self.risk_level or '').strip().lower()}")
        if self.self_harm:
            reasons.append("Self-harm mentioned")
        if self.risk_phrases:
            quoted = ", ".join(f"'{p}'" for p in dict.fromkeys(self.risk_phrases))
            reasons.append(f"Text mentions: {quoted}")
        elif self.text_risk:
            reasons.append("Risk language in the text")
        return "; ".join(reasons)


@dataclass(frozen=True)
class QueueCounts:
    """How many lines each section of the review queue has in all (not only those listed)."""

    risk: int
    unreviewed: int
    due: int
    reviewed: int

    @property
    def to_review(self) -> int:
        return self.risk + self.unreviewed


@dataclass(frozen=True)
class NotesDueRow:
    """Per therapist: completed sessions still without a note 48 hours after they ended."""

    therapist_id: str | None
    therapist_name: str | None
    sessions: int
    oldest_session_end: dt.datetime | None


@dataclass(frozen=True)
class NoteField:
    """One field of a note as shown: `risk` fields are the ones a reviewer must not miss."""

    name: str
    label: str
    value: str | None
    risk: bool = False


@dataclass(frozen=True)
class RiskSpan:
    """A risk phrase in one of a note's fields: `value[start:end] == phrase` (Python indices of
    the field's text, as `NoteField.value` holds it)."""

    field: str
    phrase: str
    start: int
    end: int
    category: str  # the category's label: "Suicidal ideation"


@dataclass(frozen=True)
class EarlierNote:
    """A line about one of the client's earlier notes (open it to read it: that is logged)."""

    note_id: int
    session_at: dt.datetime | None
    written_at: dt.datetime | None
    therapist_name: str | None
    risk_level: str | None
    self_harm: bool


@dataclass(frozen=True)
class ReviewRow:
    id: int
    note_id: int
    reviewer: str
    reviewed_at: dt.datetime
    outcome: str
    comment: str | None


@dataclass(frozen=True)
class ReviewResult(ReviewRow):
    """The review `review_note` wrote."""

    changes: ClassVar[Changes] = Changes.of(Area.NOTE_REVIEWS)


@dataclass(frozen=True)
class NoteDetail:
    """A session note, read only, with its risk fields marked and the client's earlier notes in order.

    `high_risk`: a high risk level, a self-harm mention, or risk language in the text
    (`risk_spans`, which the note view highlights).

    `therapist_id` and `therapist_name` are who held the session (who wrote the note); `client_id`
    is None for a note whose booking does not exist.
    """

    note_id: int
    booking_id: str | None
    client_id: str | None
    therapist_id: str | None
    client_name: str | None
    therapist_name: str | None
    session_at: dt.datetime | None
    written_at: dt.datetime | None
    risk_level: str | None
    self_harm: bool
    high_risk: bool
    fields: tuple[NoteField, ...]
    earlier: tuple[EarlierNote, ...]
    reviews: tuple[ReviewRow, ...]  # empty for a role that may not see reviews
    opened_at: dt.datetime  # on record since (the clinic's wall-clock time)
    risk_spans: tuple[RiskSpan, ...] = ()  # risk language in the text, for highlighting


@dataclass(frozen=True)
class OrphanNoteRow:
    """A session note whose booking does not exist (or that names none)."""

    note_id: int
    booking_id: str | None
    client_name: str | None
    host_name: str | None
    session_timing: str | None
    written_at: dt.datetime | None


@dataclass(frozen=True)
class LinkCandidate:
    """A booking an orphaned note may belong to: same client name, no note of its own yet."""

    booking_id: str
    client_name: str | None
    therapist_name: str | None
    session_at: dt.datetime | None
    booking_status: str | None


@dataclass(frozen=True)
class LinkResult:
    changes: ClassVar[Changes] = Changes.of(Area.NOTES)

    note_id: int
    old_booking_id: str | None
    booking_id: str


@dataclass(frozen=True)
class Opening:
    """Notes put on record together (one batch), committed before any of them is read."""

    batch_id: int
    opened_at: dt.datetime
    note_ids: tuple[int, ...]


@dataclass(frozen=True)
class ClientSession:
    """One session of a client as this login may see it, with its note's metadata (never the
    content): the chart's timeline, a note's earlier notes, the caseload's figures."""

    client_id: str
    client_name: str | None  # as the booking names them
    booking_id: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    status: str | None
    mode: str | None
    therapist_id: str | None
    therapist_name: str | None
    note_id: int | None
    note_written_at: dt.datetime | None
    risk_level: str | None
    self_harm: bool  # the note mentions self-harm
    high_risk: bool  # the note records a high risk level or mentions self-harm
    note_due: bool  # completed, ended more than 48 hours ago, still without a note
