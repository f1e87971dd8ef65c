"""The labelled sentences and the evaluation script: enough of them, both languages, well formed."""

from __future__ import annotations

from collections import Counter

import pytest

from backoffice.risk_language import evaluate
from backoffice.risk_language.evaluate import DATA, read_sentences

LANGUAGES = {"en", "hinglish", "mixed"}


def test_the_held_out_set_has_at_least_80_sentences_and_all_sets_200() -> None:
    assert len(read_sentences(DATA / "heldout.tsv")) >= 80
    assert sum(len(read_sentences(p)) for p in DATA.glob("*.tsv")) >= 200


@pytest.mark.parametrize("name", ["heldout.tsv", "dev.tsv"])
def test_each_set_has_risk_and_none_in_english_and_hinglish(name: str) -> None:
    counts = Counter((s.label, s.language) for s in read_sentences(DATA / name))
    assert {lang for _, lang in counts} <= LANGUAGES
    for label in ("risk", "none"):
        for language in ("en", "hinglish", "mixed"):
            assert counts[(label, language)] > 0, (label, language)


def test_no_sentence_is_labelled_twice() -> None:
    texts = Counter(s.text for path in DATA.glob("*.tsv") for s in read_sentences(path))
    assert [t for t, n in texts.items() if n > 1] == []


def test_the_evaluation_prints_recall_and_false_alarms_per_file_and_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert evaluate.main([str(DATA / "heldout.tsv")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("heldout.tsv")
    assert "recall" in out and "false alarms" in out and "  hinglish" in out
