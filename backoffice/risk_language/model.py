"""The lexicon's vocabulary: categories, languages, an entry, and a match found in a note."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """What a phrase says about the client, after the Columbia scale's (C-SSRS) groupings."""

    SUICIDAL_IDEATION = "suicidal_ideation"  # wish to be dead, thoughts of suicide
    PLAN_MEANS = "plan_means"  # a plan, intent, a method, means gathered or researched
    PAST_ATTEMPT = "past_attempt"  # actual, interrupted or aborted attempts, overdoses
    SELF_INJURY = "self_injury"  # self-harm and its methods (cutting, burning, ...)
    FAREWELL = "farewell"  # suicide notes, goodbyes, giving possessions away, a will
    HOPELESSNESS = "hopelessness"  # no future, nothing to live for, a burden to others

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Category.SUICIDAL_IDEATION: "Suicidal ideation",
    Category.PLAN_MEANS: "Plan, intent or means",
    Category.PAST_ATTEMPT: "Suicide attempt",
    Category.SELF_INJURY: "Self-injury",
    Category.FAREWELL: "Farewell behaviour",
    Category.HOPELESSNESS: "Hopelessness",
}


class Language(StrEnum):
    ENGLISH = "en"
    HINGLISH = "hinglish"  # romanized Hindi, as the clinic's therapists type it


@dataclass(frozen=True)
class Entry:
    """One reviewed lexicon entry: its patterns are written in the notation of `notation.py`."""

    id: str
    category: Category
    language: Language
    patterns: tuple[str, ...]
    rationale: str


@dataclass(frozen=True)
class RiskMatch:
    """A phrase found in a note: `text[start:end] == phrase`, for highlighting."""

    phrase: str
    start: int
    end: int
    entry_id: str
    category: Category
