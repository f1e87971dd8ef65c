"""The reviewed lexicon: its shared vocabulary (macros) and its entries in matching order."""

from __future__ import annotations

from backoffice.risk_language import lexicon_en, lexicon_hinglish
from backoffice.risk_language.model import Entry

# Word families the entries share, in the notation of `notation.py`. Changing one changes every
# entry that uses it: review them together.
MACROS: dict[str, str] = {
    # English
    "self": "(?:my|him|her|them|your|one|our|his)sel(?:f|ves)|meself",
    "poss": "my|his|her|their|your|one's",
    "suicide": "su[ie]?[cs]i?de?s?",  # suicide, sucide, suicde, suiside
    "suicidal": "su[ie]?[cs]i?d[ie]?[ae]l",  # suicidal, sucidal, suicdal, suicidial
    "kill": "kill(?:s|ed|ing)?",
    "want": "want(?:s|ed|ing)?|wanna|wish(?:es|ed|ing)?|would like|desire[sd]?|hop(?:e|es|ed|ing)|long(?:s|ed|ing)?",
    "thoughts": "thoughts?|thinking|thinks?|ideas?|ideations?|urges?|impulses?|fantas(?:y|ies|iz(?:e|es|ed|ing))|ruminat(?:es|ed|ing|ions?)|preoccupi?(?:ed|ation)",
    "pills": "pills?|tablets?|tabs|capsules?|meds|medicines?|medications?|paracetamol|insulin|antidepressants?|painkillers?|sedatives?|benzos?|sleeping pills?",
    "means": "ropes?|noose|guns?|firearms?|pistol|revolver|rifle|pesticides?|insecticides?|rat poison|poison|celphos|sulphas",
    "method": "overdose|od|die|commit {suicide}|hang {self}|jump (?:off|from|in front of)|shoot {self}|poison {self}|drown {self}|strangle {self}|slit {poss} (?:wrists?|throat)|cut {poss} (?:wrists?|veins?)",
    "swallow": "take|takes|taking|took|swallow(?:s|ed|ing)?|pop(?:s|ped|ping)?|ate|eat|eats|eating|down(?:s|ed|ing)?",
    # Romanized Hindi
    "hi_suicide": "khu?d(?: )?kh?[uoa]sh?h?(?:i|ee|y)",  # khudkushi, khudkhushi, khud kushi
    "hi_atmhatya": "a{1,2}th?m(?:a)?(?: )?hath?y(?:a|aa|e)?",  # aatmhatya, atmahatya, aatm hatya
    "hi_want": "cha{1,2}h?a?t(?:a|i|e)",  # chahta, chahti, chaahte, chahata
    "hi_thought": "kh[ae]?y?a{1,2}l(?:aat)?|vich(?:a|aa)r|wich(?:a|aa)r|soch(?:a|i|ti|ta|te|na|ne)?|thoughts?|ideas?|baat",
    "hi_life": "z?j?indh?a?g(?:i|ee)|life",  # zindagi, zindgi, jindagi
    "hi_vein": "nas|nass|naso|nason|nasen|nase|kalai|kalaai|vein|veins|wrist",
    "hi_poison": "[zj][ae]h?[ae]r|poison|keet(?: )?naa?shak|pesticide|chuh[ae](?: )?maa?r|phenyle?|teh?[zj]aa?b|acid|celphos|sulphas|kerosene|mitti ka tel",
    "hi_pills": "goli|goliy?aa?n|goliya|goliyon|dawai|dawa|dawaiy?aa?n|davai|tablets?|pills",
    "hi_hope": "umm?[ei]e?d",  # umeed, ummeed, umid
    "hi_good": "accha|acha|achha|achchha|achcha|behtar|better|theek|thik|sahi",
}

LEXICON: tuple[Entry, ...] = (
    *lexicon_en.SPECIFIC,
    *lexicon_hinglish.SPECIFIC,
    *lexicon_en.GENERIC,
    *lexicon_hinglish.GENERIC,
)
