"""The lexicon as data: every entry is identified, explained, in the notation, and every category
is covered in both languages."""

from __future__ import annotations

from collections import Counter

import pytest

from backoffice.risk_language.anchors import triggers
from backoffice.risk_language.lexicon import LEXICON, MACROS
from backoffice.risk_language.model import Category, Entry, Language
from backoffice.risk_language.notation import parse
from backoffice.risk_language.trie import heads


def test_entry_ids_are_unique_and_name_their_language() -> None:
    ids = Counter(entry.id for entry in LEXICON)
    assert [i for i, n in ids.items() if n > 1] == []
    prefixes = {Language.ENGLISH: "en.", Language.HINGLISH: "hi."}
    assert all(entry.id.startswith(prefixes[entry.language]) for entry in LEXICON)


@pytest.mark.parametrize("entry", LEXICON, ids=lambda e: e.id)
def test_every_entry_explains_itself_and_parses(entry: Entry) -> None:
    assert len(entry.rationale) > 20 and entry.patterns
    for pattern in entry.patterns:
        parsed = parse(pattern, MACROS)
        assert heads((parsed.body,))  # it can be dispatched on its first character
        assert triggers(parsed)  # and it requires words the SQL prefilter can look for


@pytest.mark.parametrize("category", list(Category))
@pytest.mark.parametrize("language", list(Language))
def test_every_category_has_entries_in_both_languages(
    category: Category, language: Language
) -> None:
    assert any(e.category == category and e.language == language for e in LEXICON)
