"""The SQL prefilter's construction, checked without a database (Python's `re` reads this ARE the
same way): every raw lexicon match contains one of its pattern's trigger words, and the prefilter
finds every labelled sentence the matcher flags. tests/integration runs it on PostgreSQL."""

from __future__ import annotations

import re

import pytest

from backoffice.risk_language import find_risk_language
from backoffice.risk_language.anchors import SEP, Trigger, triggers
from backoffice.risk_language.evaluate import DATA, read_sentences
from backoffice.risk_language.lexicon import LEXICON, MACROS
from backoffice.risk_language.matcher import lower
from backoffice.risk_language.model import Entry
from backoffice.risk_language.notation import parse, render, whole_words
from backoffice.risk_language.sql import postgres_prefilter

TEXTS = [s.text for path in sorted(DATA.glob("*.tsv")) for s in read_sentences(path)]
VARIANTS = [v for t in TEXTS for v in (t, t.upper(), t.replace(" ", "\u00a0"), t.replace("'", "’"))]


def _trigger_regex(t: Trigger) -> str:
    stem = re.escape(t.stem).replace(re.escape(SEP), r"[\s\u00a0-]+")
    return ("(?<![a-z0-9])" if t.word_start else "") + stem + ("(?![a-z0-9])" if t.word_end else "")


@pytest.mark.parametrize("entry", LEXICON, ids=lambda e: e.id)
def test_every_match_of_a_pattern_contains_one_of_its_triggers(entry: Entry) -> None:
    for source in entry.patterns:
        pattern = parse(source, MACROS)
        regex = re.compile(whole_words(render(pattern.body)), re.ASCII)
        found = re.compile("|".join(_trigger_regex(t) for t in triggers(pattern)), re.ASCII)
        for text in VARIANTS:
            low = lower(text) if not pattern.case_sensitive else text
            for m in regex.finditer(low):
                assert found.search(lower(m.group())), (source, m.group())


def test_the_prefilter_finds_every_sentence_the_matcher_flags() -> None:
    prefilter = re.compile(postgres_prefilter(), re.IGNORECASE)
    missed = [t for t in VARIANTS if find_risk_language(t) and not prefilter.search(t)]
    assert missed == []


def test_the_prefilter_leaves_a_plain_note_out() -> None:
    prefilter = re.compile(postgres_prefilter(), re.IGNORECASE)
    assert not prefilter.search("Client attended on time, discussed exams and her new job.")
