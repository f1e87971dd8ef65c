"""The SQL prefilter: the lexicon's trigger words as one PostgreSQL regular expression.

    SELECT note_id FROM client_session_notes WHERE concerns_discussed ~* :risk_prefilter

`postgres_prefilter()` matches (with the case-insensitive `~*`) every text in which `scan` finds
a phrase, and more: it only asks for each pattern's trigger words (anchors.py); negations,
idioms and other people's stories are resolved by `scan`, run on the candidates.

Why it is a superset: every match of a pattern contains one of its triggers, standing where the
trigger says (at a word's start, at its end); words are delimited by the same characters on both
sides (ASCII letters and digits), and case is ignored on both sides. (A database whose collation
folds case the Turkish way, 'i' to 'İ', would break that; an Indian clinic's will not.)
"""

from __future__ import annotations

from functools import cache

from backoffice.risk_language.anchors import SEP, Trigger, triggers
from backoffice.risk_language.lexicon import LEXICON, MACROS
from backoffice.risk_language.notation import SEP_PY, WORD_CHAR, parse

OPERATOR = "~*"
_BEFORE = f"(?:^|[^{WORD_CHAR}])"
_AFTER = f"(?:[^{WORD_CHAR}]|$)"


def prefilter_triggers() -> frozenset[Trigger]:
    """Every pattern's triggers together."""
    return frozenset().union(
        *(triggers(parse(p, MACROS)) for entry in LEXICON for p in entry.patterns)
    )


@cache
def postgres_prefilter() -> str:
    """An ARE (for `~*`) that every text with a lexicon match matches; a superset of `scan`'s."""
    by_sides: dict[tuple[bool, bool], set[str]] = {}
    for t in prefilter_triggers():
        by_sides.setdefault((t.word_start, t.word_end), set()).add(t.stem)
    return "|".join(
        (_BEFORE if start else "") + _trie(stems) + (_AFTER if end else "")
        for (start, end), stems in sorted(by_sides.items(), reverse=True)
    )


def _trie(stems: set[str]) -> str:
    """The stems as one alternation sharing prefixes: PostgreSQL's engine slows with each branch."""
    children: dict[str, set[str]] = {}
    for stem in stems:
        if stem:
            children.setdefault(stem[0], set()).add(stem[1:])
    branches = [_literal(first) + _trie(rests) for first, rests in sorted(children.items())]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in stems else body


def _literal(char: str) -> str:
    return SEP_PY if char == SEP else "\\" + char if char in "()." else char
