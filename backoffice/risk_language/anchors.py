"""Trigger words: for each pattern, a few word stems one of which every match contains.

"took an overdose" cannot match without a word beginning "overdo"; "{kill} {self}" not without
"myself", "herself", ... The SQL prefilter (sql.py) is every pattern's triggers in one alternation.
PostgreSQL's regular-expression engine slows with each branch and each separator of a big
alternation (the full patterns cost it milliseconds per note), so a trigger is one word, cut to
STEM letters, and, when the pattern says so, standing at a word's start or end.

A pattern's triggers come from one of its words: a run of parts between separators whose strings
can be listed (letters, classes, alternatives, bounded repetition). Among its words a pattern's
triggers are those without a common word ("plan", "thoughts") if it has any, then those whose
shortest stem is longest, then the fewest.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from backoffice.risk_language.notation import (
    Cls,
    Group,
    Lit,
    Node,
    Pattern,
    Rep,
    Seq,
    Space,
    class_chars,
)

STEM = 7  # letters: a trigger word is cut to this, "suicidal" to "suicida"
_MAX_STRINGS = 400  # a word listing more strings than this is not worth it
SEP = "\x1f"  # an optional separator inside a word ("over dose"): one or more spaces or hyphens

# Words too frequent in session notes to tell anything: a pattern's triggers include one only
# when the pattern offers nothing else ("can't go on like this").
_COMMON = """
    a about above after again against all almost also always am an and another any anymore anyone
    anything are around as at away back be because been before being best better between both but
    by came can cannot cant come could did didnt do does doesnt done dont down each either else
    end enough even ever every few final first for found from full get gets getting give given
    gives giving gave go goes going gone good got great had has have having he her here him his
    hold how i if in into is it its just keep kept know last least left less life like little long
    longer look made make many may me might more most much must my need never new next no none
    nor not nothing now of off often old on once one only or other our out over own part past
    plan plans planned planning put rather really right said same saw say says see seen she
    should show since so some something soon still such sure take takes taking taken tell than
    that the their them then there these they thing things think thinking this those though
    thought thoughts through time times to together too took try tried under until up upon us
    use used uses using very want wanted wants was way we well went were what when where which
    while who whole why will wish with within without wont would yet you your
    client clients patient pt session sessions note notes therapy therapist family mother father
    husband wife friend friends work school college home week weeks day days today month months
    year years night morning evening mood sleep sleeping waking feel feels feeling felt talk
    talked discussed reports reported states stated self cut cuts dose doses tablet tablets pill
    pills medicine medicines medication medications meds help people everyone letter letters
    ab aur bhi bola boli de di diya ek hai hain ho hoon hu hun ja jaa jab jo ka kar karna karne
    kaha ke kehta kehti ki kiya ko koi le li liya main mai me mein mera mere meri na nahi nahin par
    pe se sab tha the thi to toh usne woh ya
"""
COMMON_WORDS = frozenset(_COMMON.split())
_SHORTEST = 3  # letters, counting a word boundary as one: "SI" alone is fine, "1" is not


@dataclass(frozen=True, order=True)
class Trigger:
    stem: str  # lower case, at most STEM letters
    word_start: bool  # a word begins where the stem begins
    word_end: bool  # a word ends where the stem ends (never for a cut stem)


@dataclass(frozen=True)
class _Candidate:
    triggers: frozenset[Trigger]
    common: bool

    @property
    def key(self) -> tuple[bool, int, int]:
        shortest = min(len(t.stem) + t.word_start + t.word_end for t in self.triggers)
        return (not self.common and shortest >= _SHORTEST, shortest, -len(self.triggers))


def triggers(pattern: Pattern) -> frozenset[Trigger]:
    """The pattern's triggers: every match contains one of them."""
    found = _best_of((pattern.body,), True, True)
    if found is None:
        raise ValueError(f"No listable word is required by {pattern!r}.")
    return found.triggers


def _best_of(seq: Seq, starts_word: bool, ends_word: bool) -> _Candidate | None:
    candidates = [c for c in _candidates(seq, starts_word, ends_word) if c is not None]
    return max(candidates, key=lambda c: c.key, default=None)


def _candidates(seq: Seq, starts_word: bool, ends_word: bool) -> list[_Candidate | None]:
    def at_start(i: int) -> bool:
        return starts_word if i == 0 else _is_separator(seq[i - 1])

    def at_end(i: int) -> bool:
        return ends_word if i == len(seq) - 1 else _is_separator(seq[i + 1])

    found: list[_Candidate | None] = []
    for start, end in _words(seq):
        strings = _product([_strings(node) for node in seq[start:end]])
        if strings is not None and all(strings):
            found.append(_candidate(strings, at_start(start), at_end(end - 1)))
    for i, node in enumerate(seq):
        if isinstance(node, Group) and _strings(node) is None:
            nested = [_best_of(alt, at_start(i), at_end(i)) for alt in node.alternatives]
            found.append(_union(nested))
        elif isinstance(node, Rep) and node.lo >= 1 and _strings(node) is None:
            found.append(_best_of((node.node,), at_start(i), False))
    return found


def _candidate(strings: frozenset[str], word_start: bool, word_end: bool) -> _Candidate:
    triggers = frozenset(
        Trigger(s.lower()[:STEM], word_start, word_end and len(s) <= STEM) for s in strings
    )
    common = any(s.lower().replace("'", "").replace("’", "") in COMMON_WORDS for s in strings)
    return _Candidate(triggers, common)


def _union(nested: list[_Candidate | None]) -> _Candidate | None:
    if any(c is None for c in nested):
        return None
    found = [c for c in nested if c is not None]
    return _Candidate(frozenset().union(*(c.triggers for c in found)), any(c.common for c in found))


def _is_optional_separator(rep: Rep) -> bool:
    """`(?: )?` inside a word, as in "over(?: )?dose": listed as nothing or SEP."""
    node = rep.node
    return (
        (rep.lo, rep.hi) == (0, 1)
        and isinstance(node, Group)
        and len(node.alternatives) == 1
        and len(node.alternatives[0]) == 1
        and _is_separator(node.alternatives[0][0])
    )


def _is_separator(node: Node) -> bool:
    return isinstance(node, Space) and node.kind != "apostrophe"


def _words(seq: Seq) -> list[tuple[int, int]]:
    """Maximal stretches of parts whose strings can be listed: words, or pieces of words."""
    runs, start = [], None
    for i, node in enumerate([*seq, None]):
        listable = node is not None and _strings(node) is not None
        if listable and start is None:
            start = i
        elif not listable and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _strings(node: Node) -> frozenset[str] | None:
    """Every string the part matches, when it never spans a separator and they are few."""
    if isinstance(node, Lit):
        return frozenset({node.char})
    if isinstance(node, Cls):
        return frozenset(class_chars(node))
    if isinstance(node, Space):
        return frozenset({"", "'", "’"}) if node.kind == "apostrophe" else None
    if isinstance(node, Group):
        alternatives = [_product([_strings(n) for n in alt]) for alt in node.alternatives]
        if any(a is None for a in alternatives):
            return None
        union = frozenset().union(*(a for a in alternatives if a is not None))
        return union if len(union) <= _MAX_STRINGS else None
    return _repeated(node)


def _repeated(rep: Rep) -> frozenset[str] | None:
    if _is_optional_separator(rep):
        return frozenset({"", SEP})
    inner = _strings(rep.node)
    if inner is None or rep.hi is None or rep.hi > 4:
        return None
    found: set[str] = set()
    for count in range(rep.lo, rep.hi + 1):
        found |= {"".join(p) for p in itertools.product(sorted(inner), repeat=count)}
        if len(found) > _MAX_STRINGS:
            return None
    return frozenset(found)


def _product(parts: list[frozenset[str] | None]) -> frozenset[str] | None:
    strings = frozenset({""})
    for part in parts:
        if part is None:
            return None
        strings = frozenset(a + b for a in strings for b in part)
        if len(strings) > _MAX_STRINGS:
            return None
    return strings
