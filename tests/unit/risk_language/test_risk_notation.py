"""The lexicon's pattern notation: what a space, a gap, an apostrophe and a macro mean, and what it
refuses."""

from __future__ import annotations

import re

import pytest

from backoffice.risk_language.notation import (
    Cls,
    NotationError,
    class_chars,
    parse,
    render,
    whole_words,
)

MACROS = {"self": "(?:my|her)self", "nested": "{self} again"}


def _matches(pattern: str, text: str) -> bool:
    regex = whole_words(render(parse(pattern, MACROS).body))
    return re.search(regex, text.lower(), re.ASCII) is not None


@pytest.mark.parametrize(
    "text", ["self harm", "self-harm", "self  harm", "self\nharm", "self\u00a0harm"]
)
def test_a_space_stands_for_any_separator(text: str) -> None:
    assert _matches("self harm", text)


def test_a_space_does_not_match_no_space() -> None:
    assert not _matches("self harm", "selfharm")


def test_a_gap_spans_up_to_three_words_and_no_more() -> None:
    assert _matches("stockpiling ~ pills", "stockpiling pills")
    assert _matches("stockpiling ~ pills", "stockpiling her old sleeping pills")
    assert not _matches("stockpiling ~ pills", "stockpiling all her old sleeping pills")


def test_a_gap_stays_within_the_sentence() -> None:
    assert not _matches("stockpiling ~ pills", "stockpiling. pills")


@pytest.mark.parametrize("text", ["don't", "dont", "don’t"])
def test_an_apostrophe_is_optional_straight_or_curly(text: str) -> None:
    assert _matches("don't", text)


def test_patterns_match_whole_words_only() -> None:
    assert _matches("kill", "to kill.")
    assert not _matches("kill", "skills")
    assert not _matches("kill", "killer")


def test_macros_expand_and_nest() -> None:
    assert _matches("{nested}", "herself again")


def test_an_unknown_macro_is_refused() -> None:
    with pytest.raises(NotationError, match="Unknown macro"):
        parse("{nobody}", MACROS)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\bkill",
        "(?=kill)",
        "kill.",
        "kill$",
        "(kill)",
        "Kill",
        "kill ?myself",
        "kill [^a]",
        " kill",
        "kill ~",
    ],
)
def test_anything_outside_the_notation_is_refused(pattern: str) -> None:
    with pytest.raises(NotationError):
        parse(pattern, MACROS)


def test_a_whole_pattern_in_capitals_is_case_sensitive() -> None:
    pattern = parse("(?-i:SI)", MACROS)
    assert pattern.case_sensitive
    assert render(pattern.body) == "(?:SI)"


def test_class_ranges_are_spelled_out() -> None:
    assert class_chars(Cls("[1-4]")) == "1234"
    assert class_chars(Cls("[ie-]")) == "ie-"
