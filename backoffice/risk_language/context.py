"""What cancels a lexicon match: an idiom or another person's story around it, or a negation.

A negation cancels only the phrases it governs. It governs a phrase when nothing but "transparent"
words lie between them (articles, list words, other risk terms: "denies current or past SI, SH or
suicide attempts") within one sentence; any other word ends its reach, so "denies SI but reports a
plan to overdose" keeps the plan. English negates before ("denies", "no", "never"), notes also after
("SI denied", "SI: neg"), and Hindi mostly after ("marne ka koi khayal nahi").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Words a negation reaches across. Tokens inside other lexicon matches are transparent too.
_TRANSPARENT_WORDS = """
    a an the any all current currently past present recent recently active passive ongoing prior
    previous history hx h o c of or and nor for to at this that time with further new risk
    thoughts thought ideas idea ideation ideations urges urge feelings feeling feel feels intent
    intention intentions plan plans planning evidence signs sign symptoms behaviour behaviours
    behavior behaviors acts act episodes episode attempts attempt wanting wishing having being been
    has have had is was were are be self harm si hi sh homicidal suicidal death dying
    koi kabhi bhi bilkul toh hi se ka ke ki ko mein me aaya aayi aaye aate aata aati hai hain he
    tha thi the hua hui kiya abhi filhal irada iraada vichar vichaar khayal khyal baare bare ya aur
"""
TRANSPARENT = frozenset(_TRANSPARENT_WORDS.split())

_PRE_CUE = re.compile(
    r"(?<![a-z0-9])(?:no\ longer|no|not|never|nor|without|den(?:y|ies|ied|ying)|negative|neg"
    r"|free\ (?:of|from)|absence\ of|ruled\ out|rules\ out|nil|none|cannot"
    r"|(?:does|did|do|has|have|had|is|was|were|are|could|would|ca|wo)n['’]?t"
    r"|refut(?:es|ed)|nahi|nahin|nhi|bina|inkaa?r)(?![a-z0-9])",
    re.IGNORECASE | re.ASCII,
)
_POST_CUE = re.compile(
    r"(?:den(?:y|ies|ied)|negative|neg|absent|nil|none|not\ (?:present|endorsed|reported|elicited)"
    r"|ruled\ out|inkaa?r|mana|nahi|nahin|nhi|nahee|nai)(?![a-z0-9])",
    re.IGNORECASE | re.ASCII,
)
# "SI: no." — a bare "no" after the phrase negates it only when it ends the clause.
_WEAK_POST_CUE = re.compile(r"(?:no|nope)[\s,:)\-]*$", re.IGNORECASE | re.ASCII)
CUES = (_PRE_CUE.pattern, _POST_CUE.pattern, _WEAK_POST_CUE.pattern)
_WORD = re.compile(r"[a-z0-9'’]+", re.IGNORECASE | re.ASCII)
_CLAUSE_ENDS = ".;!?\n|"
_WINDOW = 160
_PRE_REACH = 8
_POST_REACH = 4


def is_negated(text: str, spans: Sequence[tuple[int, int]], i: int) -> bool:
    """Whether a negation governs the phrase `spans[i]` of `text`.

    `spans` are all the lexicon matches of the text, in order and not overlapping: the words of
    the others neither negate nor block a negation.
    """
    return _negated_before(text, spans, i) or _negated_after(text, spans, i)


def _blank(text: str, lo: int, hi: int, others: Sequence[tuple[int, int]]) -> str:
    """text[lo:hi] with the (ordered) spans of other matches replaced by spaces."""
    parts, position = [], lo
    for start, end in others:
        start, end = max(start, position), min(end, hi)
        if start < end:
            parts += [text[position:start], " " * (end - start)]
            position = end
    parts.append(text[position:hi])
    return "".join(parts)


def _clause_start(text: str, start: int) -> int:
    lo = max(0, start - _WINDOW)
    return max([text.rfind(c, lo, start) + 1 for c in _CLAUSE_ENDS] + [lo])


def _clause_end(text: str, end: int) -> int:
    hi = min(len(text), end + _WINDOW)
    return min([i for c in _CLAUSE_ENDS if (i := text.find(c, end, hi)) >= 0] + [hi])


def _negated_before(text: str, spans: Sequence[tuple[int, int]], i: int) -> bool:
    start = spans[i][0]
    lo = _clause_start(text, start)
    j = i
    while j > 0 and spans[j - 1][1] > lo:
        j -= 1
    clause = _blank(text, lo, start, spans[j:i])
    cues = list(_PRE_CUE.finditer(clause))
    if not cues:
        return False
    between = _WORD.findall(clause[cues[-1].end() :])
    return len(between) <= _PRE_REACH and all(w.lower() in TRANSPARENT for w in between)


def _negated_after(text: str, spans: Sequence[tuple[int, int]], i: int) -> bool:
    end = spans[i][1]
    hi = _clause_end(text, end)
    j = i + 1
    while j < len(spans) and spans[j][0] < hi:
        j += 1
    clause = _blank(text, end, hi, spans[i + 1 : j])
    for skipped, word in enumerate(_WORD.finditer(clause)):
        rest = clause[word.start() :]
        if _POST_CUE.match(rest) or _WEAK_POST_CUE.match(rest):
            return True
        if skipped >= _POST_REACH or word.group().lower() not in TRANSPARENT:
            return False
    return False
