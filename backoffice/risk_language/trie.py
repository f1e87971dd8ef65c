"""First-character dispatch: many patterns as one regular expression that Python's `re` runs fast.

`re` tries the alternatives of a big alternation one by one at every word start. It rejects an
alternative cheaply only when it begins with a plain literal, so each pattern is rewritten as the
alternatives it can begin with, grouped by their first character: `(?:took|take)…|hang…` becomes
`t(?:ook…|ake…)|h(?:ang…)`. The text is lower-cased first (the patterns are lower case), because
case-insensitive matching would lose that fast path too. An empty group closing each alternative
tells which entry matched without slowing the search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from backoffice.risk_language.notation import Cls, Group, Lit, Rep, Seq, class_chars, render


class Unfactorable(ValueError):
    """A pattern that can begin with a separator or with nothing."""


def heads(seq: Seq) -> list[tuple[str, Seq]]:
    """Each (first character, rest) a sequence can begin with, in matching order."""
    if not seq:
        raise Unfactorable("An empty pattern has no first character.")
    first, rest = seq[0], seq[1:]
    if isinstance(first, Lit):
        return [(first.char, rest)]
    if isinstance(first, Cls):
        return [(char, rest) for char in class_chars(first)]
    if isinstance(first, Group):
        return [head for alternative in first.alternatives for head in heads(alternative + rest)]
    if isinstance(first, Rep):
        return _rep_heads(first, rest)
    raise Unfactorable("A pattern cannot begin with a separator.")


def _rep_heads(rep: Rep, rest: Seq) -> list[tuple[str, Seq]]:
    if rep.hi == 1:
        once: Seq = (rep.node,)
    else:
        hi = None if rep.hi is None else rep.hi - 1
        once = (rep.node, Rep(rep.node, max(rep.lo - 1, 0), hi))
    found = heads(once + rest)
    if rep.lo == 0:
        found += heads(rest)
    return found


def first_char_regex(sequences: Iterable[tuple[Seq, int]]) -> tuple[str, list[int]]:
    """One alternation of the tagged sequences, dispatched on its first character, order kept.

    Each alternative ends with an empty capturing group: a match's `lastindex` is its group, and
    the returned list gives the tag of group n at position n - 1. An alternative already listed
    under an earlier tag keeps that tag, as the alternation would match it first anyway.
    """
    by_char: dict[str, dict[str, int]] = {}
    for seq, tag in sequences:
        for char, rest in heads(seq):
            by_char.setdefault(char, {}).setdefault(render(rest), tag)
    tags = [tag for rests in by_char.values() for tag in rests.values()]
    regex = "|".join(
        re.escape(char) + "(?:" + "|".join(rest + "()" for rest in rests) + ")"
        for char, rests in by_char.items()
    )
    return regex, tags
