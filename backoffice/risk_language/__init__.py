"""Risk language in session-note text: a reviewed lexicon, its matcher, and a SQL prefilter.

Pure Python (no database, no Qt): a bottom layer that imports nothing of backoffice.

    find_risk_language("Denies SI but reports a plan to overdose.")   # ['plan to overdose']
    scan(text)    # [RiskMatch(phrase, start, end, entry_id, category)], for highlighting
    postgres_prefilter()  # one ARE for `~*`: a superset of the texts scan() flags
"""

from backoffice.risk_language.lexicon import LEXICON
from backoffice.risk_language.matcher import LEXICON_VERSION, find_risk_language, scan
from backoffice.risk_language.model import Category, Entry, Language, RiskMatch
from backoffice.risk_language.sql import OPERATOR, postgres_prefilter

__all__ = [
    "LEXICON",
    "LEXICON_VERSION",
    "OPERATOR",
    "Category",
    "Entry",
    "Language",
    "RiskMatch",
    "find_risk_language",
    "postgres_prefilter",
    "scan",
]
