"""Benchmark: the compiled risk-language matcher against a naive one, on 2,000-character notes.

The naive matcher compiles each lexicon pattern on its own (case-insensitive, as written) and runs
them one after another over the note, then applies the same context rules; the compiled matcher
runs the whole lexicon as one first-character-dispatched expression over the lower-cased note.
Both must find the same phrases. Times are the best of several rounds (the machine is shared).

    uv run python bench/risk_language.py
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backoffice.risk_language import find_risk_language
from backoffice.risk_language.lexicon import LEXICON, MACROS
from backoffice.risk_language.matcher import keep_in_context, raw_matches
from backoffice.risk_language.notation import parse, render, whole_words

SESSION = (
    "Session 14, in person. Client arrived on time, casually dressed, good eye contact. "
    "Discussed the week: exams are close and she has been sleeping about five hours a night, "
    "waking early and unable to fall asleep again. Mood described as 'low, like a grey cloud', "
    "rated 4/10, up from 3/10 last week. Appetite reduced, skipping breakfast. Reports conflict "
    "with her mother about marriage proposals; mummy keeps saying 'sab log kya kahenge'. Client "
    "cried when describing the argument on Sunday. Explored thoughts around being a disappointment "
    "to the family; cognitive restructuring used, client able to generate two alternative "
    "explanations. Practised box breathing in session, reported feeling calmer afterwards. "
    "Risk: denies SI/HI, no plan or intent, no history of self-harm. Protective factors: close "
    "friend Priya, younger brother, plans to finish her MBA, religious faith. Client said "
    "'kabhi kabhi lagta hai sab bekaar hai' but then laughed it off and talked about the trip to "
    "Rishikesh she is planning with friends. Homework: thought record daily, walk 20 minutes "
    "after dinner, cut down on chai after 6 pm. Discussed sleep hygiene, no screens in bed. Next "
    "session in one week; will review thought records and revisit the conversation with her "
    "mother. Therapist to share the college counselling centre contact. Client consented to "
    "sharing a summary with her psychiatrist, who increased sertraline to 100 mg OD last month. "
    "She says the side effects have settled and the tablets are taken regularly at night. "
    "Overall engaged, insightful, motivated for change; therapeutic alliance good."
)[:2000]


def naive_matcher() -> Callable[[str], list[str]]:
    """Each pattern compiled alone and run in turn: the obvious way to write it."""
    compiled = []
    for index, entry in enumerate(LEXICON):
        for source in entry.patterns:
            p = parse(source, MACROS)
            flags = re.ASCII if p.case_sensitive else re.ASCII | re.IGNORECASE
            compiled.append((index, re.compile(whole_words(render(p.body)), flags)))

    def find(text: str) -> list[str]:
        raw = [(m.start(), m.end(), i) for i, rx in compiled for m in rx.finditer(text)]
        return [match.phrase for match in keep_in_context(text, raw)]

    return find


def best_of(
    find: Callable[[str], list[str]], text: str, *, rounds: int = 7, runs: int = 200
) -> float:
    """Best time of one scan in milliseconds."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(runs):
            find(text)
        best = min(best, (time.perf_counter() - start) / runs)
    return best * 1000


def main() -> None:
    naive = naive_matcher()
    find_risk_language("warm up: compile once")
    notes = {
        "session note (negations, idioms)": SESSION,
        "the same with one risk sentence": SESSION[:1900] + " Later said she wants to die.",
        "dense: negated phrases only": " ".join(["Denies SI. No thoughts of self-harm."] * 55)[
            :2000
        ],
    }
    print(
        f"{'note (2,000 characters)':<32} {'phrases':>7} {'compiled':>10} {'naive':>10} {'ratio':>7}"
    )
    for name, text in notes.items():
        if find_risk_language(text) != naive(text):
            raise SystemExit(f"The matchers disagree on {name!r}.")
        fast, slow = best_of(find_risk_language, text), best_of(naive, text, runs=20)
        raw = len(raw_matches(text))
        print(f"{name:<32} {raw:7} {fast:8.3f}ms {slow:8.3f}ms {slow / fast:6.1f}x")
    print("phrases: lexicon matches before negations and idioms are resolved")


if __name__ == "__main__":
    main()
