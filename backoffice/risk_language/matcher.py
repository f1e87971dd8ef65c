"""The matcher: the lexicon compiled once into two regular expressions, then the context rules."""

from __future__ import annotations

import bisect
import hashlib
import re
import string
from dataclasses import dataclass
from functools import cache

from backoffice.risk_language import context
from backoffice.risk_language.context import is_negated
from backoffice.risk_language.guards import GUARDS, RELATIVES
from backoffice.risk_language.lexicon import LEXICON, MACROS
from backoffice.risk_language.model import RiskMatch
from backoffice.risk_language.notation import Pattern, parse, whole_words
from backoffice.risk_language.trie import first_char_regex

FLAGS = re.ASCII  # \s and word boundaries as in PostgreSQL's C-like classes; see notation.py
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

Raw = tuple[int, int, int]  # start, end, index of the entry in LEXICON


def _version() -> str:
    rules = (LEXICON, MACROS, GUARDS, sorted(context.TRANSPARENT), context.CUES)
    return hashlib.sha256(repr(rules).encode()).hexdigest()[:12]


# Changes whenever the lexicon or the context rules do: store it beside stored matches.
LEXICON_VERSION = _version()


def lower(text: str) -> str:
    """ASCII letters lower-cased, nothing else changed: every offset stays valid."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


@dataclass(frozen=True)
class _Stream:
    """The patterns of one case: lower-case ones run on the lower-cased text, capitals on the text."""

    search: re.Pattern[str]
    entry_of_group: tuple[int, ...]  # group n of `search` closes a pattern of LEXICON[entry[n-1]]

    def find(self, text: str) -> list[Raw]:
        return [
            (m.start(), m.end(), self.entry_of_group[(m.lastindex or 0) - 1])
            for m in self.search.finditer(text)
        ]


def _stream(patterns: list[tuple[int, Pattern]]) -> _Stream:
    regex, tags = first_char_regex(((p.body,), index) for index, p in patterns)
    return _Stream(re.compile(whole_words(regex), FLAGS), tuple(tags))


@dataclass(frozen=True)
class _Compiled:
    lower_case: _Stream
    capitals: _Stream
    guards: re.Pattern[str]


@cache
def _compiled() -> _Compiled:
    patterns = [(i, parse(p, MACROS)) for i, e in enumerate(LEXICON) for p in e.patterns]
    macros = {**MACROS, "relative": RELATIVES}
    guards, _ = first_char_regex(((parse(p, macros).body,), 0) for _, p in GUARDS)
    return _Compiled(
        lower_case=_stream([(i, p) for i, p in patterns if not p.case_sensitive]),
        capitals=_stream([(i, p) for i, p in patterns if p.case_sensitive]),
        guards=re.compile(whole_words(guards), FLAGS),
    )


def _first_of_overlapping(raw: list[Raw]) -> list[Raw]:
    """Of overlapping matches the leftmost, and at one start the first entry: what one
    alternation of the whole lexicon, in order, would match."""
    kept: list[Raw] = []
    for match in sorted(raw, key=lambda m: (m[0], m[2])):
        if not kept or match[0] >= kept[-1][1]:
            kept.append(match)
    return kept


def _guarded(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _compiled().guards.finditer(lower(text))]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether any of the ordered, non-overlapping `spans` overlaps [start, end)."""
    i = bisect.bisect_left(spans, (end, end))
    return i > 0 and spans[i - 1][1] > start


def keep_in_context(text: str, raw: list[Raw]) -> list[RiskMatch]:
    """The raw matches that stand in their context: not inside an idiom, not negated."""
    raw = _first_of_overlapping(raw)
    guarded = _guarded(text)
    spans = [(start, end) for start, end, _ in raw]
    found = []
    for i, (start, end, index) in enumerate(raw):
        if _overlaps(guarded, start, end) or is_negated(text, spans, i):
            continue
        entry = LEXICON[index]
        found.append(RiskMatch(text[start:end], start, end, entry.id, entry.category))
    return found


def scan(text: str | None) -> list[RiskMatch]:
    """The risk phrases of a note in order, with their spans, entry and category.

    Negated phrases ("denies SI"), idioms ("killing it at work") and other people's stories
    ("her father died by suicide") are left out. Empty for None or an empty text.
    """
    raw = raw_matches(text)
    return keep_in_context(text, raw) if text and raw else []


def raw_matches(text: str | None) -> list[Raw]:
    """Every lexicon match, before idioms and negations: (start, end, index in LEXICON)."""
    if not text:
        return []
    compiled = _compiled()
    return compiled.lower_case.find(lower(text)) + compiled.capitals.find(text)


def find_risk_language(text: str | None) -> list[str]:
    """The risk phrases of a note as they appear in it, in order; empty when there are none."""
    return [match.phrase for match in scan(text)]
