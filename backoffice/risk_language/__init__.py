"""Risk language in session-note text: a reviewed lexicon, its matcher, and a SQL prefilter.

Pure Python (no database, no Qt): a bottom layer that imports nothing of backoffice.

    find_risk_language("Denies SI but reports a plan to overdose.")   # ['plan to overdose']
    scan(text)            # [RiskMatch(phrase, start, end, entry_id, category)], for highlighting
    postgres_prefilter()  # one ARE for `~*` (OPERATOR): a superset of the texts scan() flags

What it finds (lexicon_en.py, lexicon_hinglish.py: entries with an id, a category, patterns and a
rationale): suicidal ideation and the wish to be dead, plans, intent and means, suicide attempts,
self-injury and its methods, farewell behaviour, hopelessness and burdensomeness, in English and
romanized Hindi. What it leaves alone (context.py, guards.py): phrases a negation governs ("denies
SI", "SI: neg", "marne ka koi khayal nahi"), idioms ("killing it at work", "jaan nikal gayi") and
other people's stories ("her father died by suicide"). A negation reaches only what it governs:
"denies SI but reports a plan to overdose" keeps the plan. It is a lexicon: it misses phrasings
nobody wrote into it (tests/data/risk_language/probe2.tsv measures how many).

Scanning many notes for the review queue and the risk-review report, in a worker, never per row
on open:

1. Let SQL choose the candidates, in keyset batches, the prefilter as a bound parameter:
       SELECT note_id, concerns_discussed, self_harm_details, goal_progress, ...
       FROM client_session_notes
       WHERE note_id > :after
         AND concat_ws(E'\\n', concerns_discussed, self_harm_details, goal_progress, ...) ~* :rx
       ORDER BY note_id LIMIT 500
   with rx = postgres_prefilter(). Joining the fields with a line break keeps it a superset.
   About 0.1 ms of server time per 2,000 characters (embedded server, shared machine). It returns
   notes whose only phrases are negated or idiomatic too; it never drops one scan() would flag.
   client_additional_notes.note_text, the therapists' own notes, the same way.
2. scan() each candidate field (about 0.2 ms per 2,000 characters) and keep the notes with
   matches: per note and field the phrases, spans, entry ids and categories, with the
   LEXICON_VERSION they were found with; a note edited since, or a new version, is scanned again.
   The phrases are clinical content: store them where the note text's own protections apply
   (finance has no access; reading them is reading the note).
3. The queue puts a note with matches in its top section beside the structured high-risk ones;
   the note view highlights each RiskMatch (start and end index the field's Python string: Qt
   counts UTF-16 units, so convert with len(text[:i].encode("utf-16-le")) // 2 when a note may
   hold emoji); the report lists Category.label and the phrases.

Measure it: `python -m backoffice.risk_language.evaluate` (recall and false alarms per labelled
set and language), `python bench/risk_language.py` (the matcher's speed against a naive one).
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
