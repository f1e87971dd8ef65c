"""find_risk_language and scan: each category found in both languages, negations and idioms left
alone, a negation reaching only the phrases it governs, spans fit for highlighting."""

from __future__ import annotations

import re

import pytest

from backoffice.risk_language import Category, find_risk_language, scan
from backoffice.risk_language.evaluate import DATA, read_sentences
from backoffice.risk_language.lexicon import LEXICON, MACROS
from backoffice.risk_language.matcher import keep_in_context
from backoffice.risk_language.notation import parse, render, whole_words

C = Category

FOUND = [
    (C.SUICIDAL_IDEATION, "Client endorses passive SI, thinks about ending her life."),
    (C.SUICIDAL_IDEATION, "Kehti hai main marna chahti hoon."),
    (C.SUICIDAL_IDEATION, "Usko jeene ka mann nahi karta."),
    (C.PLAN_MEANS, "He has a plan to overdose on his insulin."),
    (C.PLAN_MEANS, "Neend ki goliyan jama kar rahi hai."),
    (C.PAST_ATTEMPT, "History of suicide attempt in 2019."),
    (C.PAST_ATTEMPT, "Pichle saal aatmhatya ki koshish ki thi."),
    (C.SELF_INJURY, "Ongoing self-harm, cutting her thighs."),
    (C.SELF_INJURY, "Pichle hafte nas kaat li."),
    (C.FAREWELL, "She wrote a suicide note to her sister."),
    (C.FAREWELL, "Sabko alvida keh diya raat ko."),
    (C.HOPELESSNESS, "Feels hopeless, says there is no point in living."),
    (C.HOPELESSNESS, "Zindagi se thak gayi hoon, bolti hai."),
]


@pytest.mark.parametrize(("category", "text"), FOUND)
def test_each_category_is_found_in_both_languages(category: Category, text: str) -> None:
    assert category in {m.category for m in scan(text)}


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("marna chahta hoon", "marna chahta"),
        ("marna chahti hoon", "marna chahti"),
        ("khudkushi ke khayal", "khudkushi ke khayal"),
        ("khudkhushi ke khayal", "khudkhushi ke khayal"),
        ("aatmhatya ka vichar", "aatmhatya ka vichar"),
        ("atmahatya ka vichar", "atmahatya ka vichar"),
        ("sab khatam kar dunga", "sab khatam kar dunga"),
        ("sab khatam kar dungi", "sab khatam kar dungi"),
        ("zindagi se thak gaya", "zindagi se thak gaya"),
        ("nas kaat di", "nas kaat"),
        ("Hx of OD, 2021", "Hx of OD"),
        ("Ongoing SH", "Ongoing SH"),
    ],
)
def test_spelling_variants_and_abbreviations_are_found(text: str, phrase: str) -> None:
    assert find_risk_language(text) == [phrase]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Says she is done with living.", "done with living"),
        ("He won't be a bother to anybody for long.", "won't be a bother to anybody for long"),
        ("Thoughts of hanging from the fan at night.", "of hanging from the fan"),
        ("Sister found a dupatta round her neck.", "dupatta round her neck"),
        ("Punched his knuckles into the door till they bled.", None),
        ("S/I, passive.", "S/I"),
        ("Kabhi lagta hai mar jaati toh behtar hota.", "mar jaati toh behtar"),
        ("Sab kuch khatam ho jaana chahiye, bola.", "Sab kuch khatam ho jaana chahiye"),
        ("Pesticide ka packet store room mein chhupa diya.", None),
    ],
)
def test_phrasings_the_second_probe_missed_are_found(text: str, phrase: str | None) -> None:
    """Written after probe2.tsv's misses (other sentences than the probe's own)."""
    found = find_risk_language(text)
    assert found != [] and (phrase is None or found == [phrase])


@pytest.mark.parametrize(
    "text",
    [
        "Watched a documentary about overdose deaths in Punjab.",
        "Ye project khatam karna chahti hoon is hafte.",
        "Wants the exam week over with, then a holiday.",
    ],
)
def test_what_the_new_phrasings_must_leave_alone(text: str) -> None:
    assert find_risk_language(text) == []


NEGATIONS = [
    "Denies SI.",
    "denies SI/HI, plan or intent",
    "No thoughts of self-harm.",
    "No history of suicide attempts.",
    "SI denied.",
    "SI: denied. HI: denied.",
    "Negative for SI/HI.",
    "SI - neg",
    "Suicidal ideation: none.",
    "Denies current or past SI, SH or suicide attempts.",
    "She is not having any suicidal thoughts.",
    "Never self-harmed.",
    "Marne ka koi khayal nahi.",
    "Aatmhatya ke vichar nahi hain.",
    "Khudkushi ke vichar se inkaar kiya.",
    "Usne kabhi aatmhatya ki koshish nahi ki.",
    "Client ne SI deny kiya.",
]


@pytest.mark.parametrize("text", NEGATIONS)
def test_each_negation_is_left_alone(text: str) -> None:
    assert find_risk_language(text) == []


IDIOMS = [
    "She is killing it at work.",
    "He is dying to see her.",
    "Plans to cut down on caffeine.",
    "Dead tired after the night shift.",
    "Bored to death in class.",
    "Had an overdose of work emails.",
    "Jaan nikal gayi kaam mein.",
    "Hasi se mar gaye sab.",
    "Her father died by suicide when she was 12.",
    "Family history of suicide.",
    "Volunteers for suicide prevention.",
    "Tab sertraline 50 mg OD.",
    "Thodi si udaas hai.",
    "SHE'S BEEN KILLING IT AT WORK.",
]


@pytest.mark.parametrize("text", IDIOMS)
def test_each_idiom_and_other_persons_story_is_left_alone(text: str) -> None:
    assert find_risk_language(text) == []


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("Denies SI but reports a plan to overdose.", ["plan to overdose"]),
        ("Denies HI; reports passive SI.", ["passive SI"]),
        ("Denied SI last week, today reports thoughts of dying.", ["thoughts of dying"]),
        ("Denies plan, however endorses daily SI.", ["daily SI"]),
        ("Client has no support and wants to die.", ["wants to die"]),
        ("Passive SI, no plan or intent.", ["Passive SI"]),
        ("Marne ka koi khayal nahi, par zindagi se thak gayi hai.", ["zindagi se thak gayi"]),
    ],
)
def test_a_negation_does_not_cancel_a_phrase_it_does_not_govern(
    text: str, phrases: list[str]
) -> None:
    assert find_risk_language(text) == phrases


def test_spans_are_where_the_phrases_stand_in_order() -> None:
    text = "Denies HI.\nClient said 'I want to die'; later, khudkushi ke khayal aate hain."
    matches = scan(text)
    assert [(m.start, m.end) for m in matches] == [(26, 37), (47, 66)]
    assert [text[m.start : m.end] for m in matches] == [m.phrase for m in matches]
    assert [m.entry_id for m in matches] == ["en.ideation.wish_to_die", "hi.ideation.thoughts"]


def test_phrases_keep_the_notes_own_case_and_spacing() -> None:
    assert find_risk_language("Pt  KILLED\u00a0HERSELF? no: tried to KILL  HERSELF") == [
        "KILLED\u00a0HERSELF",
        "KILL  HERSELF",
    ]


@pytest.mark.parametrize("text", [None, "", "   ", "Client attended and engaged well."])
def test_nothing_is_found_in_no_text_or_plain_text(text: str | None) -> None:
    assert find_risk_language(text) == []
    assert scan(text) == []


def _naive(text: str) -> list[str]:
    """Every pattern compiled alone and run in turn: the compiled matcher must agree with it."""
    raw = []
    for index, entry in enumerate(LEXICON):
        for source in entry.patterns:
            p = parse(source, MACROS)
            flags = re.ASCII if p.case_sensitive else re.ASCII | re.IGNORECASE
            regex = re.compile(whole_words(render(p.body)), flags)
            raw += [(m.start(), m.end(), index) for m in regex.finditer(text)]
    return [m.phrase for m in keep_in_context(text, raw)]


def test_the_compiled_matcher_agrees_with_running_each_pattern_alone() -> None:
    texts = [s.text for path in sorted(DATA.glob("*.tsv")) for s in read_sentences(path)]
    disagreements = [t for t in texts if find_risk_language(t) != _naive(t)]
    assert disagreements == []
