"""Recall and false-alarm rate of the matcher on the labelled sentences, per file and language.

    uv run python -m backoffice.risk_language.evaluate [FILE.tsv ...]

Without arguments: every labelled set under tests/data/risk_language/, held-out first (a checkout,
not an installed wheel). Prints every miss and false alarm with the phrases found.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from backoffice.risk_language.matcher import find_risk_language

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "risk_language"
HELD_OUT = DATA / "heldout.tsv"
LABELS = ("risk", "none")


@dataclass(frozen=True)
class Sentence:
    label: str
    language: str
    text: str
    note: str

    @property
    def is_risk(self) -> bool:
        return self.label == "risk"


def read_sentences(path: Path) -> list[Sentence]:
    """The rows of a labelled TSV (label, language, sentence, note), header skipped."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    sentences = [Sentence(r["label"], r["language"], r["sentence"], r["note"]) for r in rows]
    for s in sentences:
        if s.label not in LABELS:
            raise ValueError(f"{path.name}: label {s.label!r} is not one of {LABELS}.")
    return sentences


@dataclass(frozen=True)
class Score:
    positives: int
    caught: int
    negatives: int
    false_alarms: int

    @property
    def recall(self) -> float:
        return self.caught / self.positives if self.positives else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.negatives if self.negatives else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name:<22} recall {self.recall:6.1%} ({self.caught}/{self.positives})   "
            f"false alarms {self.false_alarm_rate:6.1%} ({self.false_alarms}/{self.negatives})"
        )


def score(results: Iterable[tuple[Sentence, list[str]]]) -> Score:
    pos = caught = neg = alarms = 0
    for sentence, phrases in results:
        if sentence.is_risk:
            pos, caught = pos + 1, caught + bool(phrases)
        else:
            neg, alarms = neg + 1, alarms + bool(phrases)
    return Score(pos, caught, neg, alarms)


def report(path: Path) -> list[str]:
    results = [(s, find_risk_language(s.text)) for s in read_sentences(path)]
    lines = [score(results).line(path.name)]
    for language in sorted({s.language for s, _ in results}):
        subset = [(s, p) for s, p in results if s.language == language]
        lines.append(score(subset).line(f"  {language}"))
    for s, phrases in results:
        if s.is_risk and not phrases:
            lines.append(f"  MISS         [{s.language}] {s.text}   ({s.note})")
        elif not s.is_risk and phrases:
            lines.append(f"  FALSE ALARM  [{s.language}] {s.text}   -> {phrases}   ({s.note})")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    paths = [Path(a) for a in args] or [HELD_OUT, *sorted(set(DATA.glob("*.tsv")) - {HELD_OUT})]
    for path in paths:
        print("\n".join(report(path)), end="\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
