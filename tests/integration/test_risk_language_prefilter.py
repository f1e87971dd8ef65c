"""The risk-language SQL prefilter on real PostgreSQL: it compiles, and over every labelled sentence
(and its upper-case, non-breaking-space and curly-apostrophe variants) its candidates include every
note the Python matcher flags."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import URL

from backoffice.risk_language import find_risk_language
from backoffice.risk_language.evaluate import DATA, read_sentences
from backoffice.risk_language.matcher import raw_matches
from backoffice.risk_language.sql import OPERATOR, postgres_prefilter
from tests.pg import libpq_conninfo


def _variants(text: str) -> list[str]:
    return [text, text.upper(), text.title(), text.replace(" ", "\u00a0"), text.replace("'", "’")]


def _labelled_texts() -> list[str]:
    texts = [s.text for path in sorted(DATA.glob("*.tsv")) for s in read_sentences(path)]
    return [variant for text in texts for variant in _variants(text)]


@pytest.fixture
def notes_table(fresh_database_url: URL) -> Iterator[psycopg.Connection]:
    """A table of the labelled sentences and their variants: (id, text)."""
    with psycopg.connect(libpq_conninfo(fresh_database_url)) as conn:
        conn.execute("CREATE TABLE notes (id int PRIMARY KEY, text text NOT NULL)")
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO notes VALUES (%s, %s)", list(enumerate(_labelled_texts())))
        yield conn


def _candidates(conn: psycopg.Connection) -> set[int]:
    sql = f"SELECT id FROM notes WHERE text {OPERATOR} %s"
    return {row[0] for row in conn.execute(sql, (postgres_prefilter(),))}


def test_prefilter_regex_compiles_in_postgresql(notes_table: psycopg.Connection) -> None:
    row = notes_table.execute(
        f"SELECT 'Client endorses SI.' {OPERATOR} %s", (postgres_prefilter(),)
    )
    assert row.fetchone() == (True,)


def test_prefilter_candidates_include_every_note_the_matcher_flags(
    notes_table: psycopg.Connection,
) -> None:
    texts = _labelled_texts()
    flagged = {i for i, text in enumerate(texts) if find_risk_language(text)}
    assert len(flagged) > 400  # the variants of the risk sentences, most of them
    assert flagged <= _candidates(notes_table)


def test_prefilter_candidates_include_every_raw_lexicon_match(
    notes_table: psycopg.Connection,
) -> None:
    """Stronger: before negations and idioms are resolved, SQL still sees every raw match."""
    texts = _labelled_texts()
    raw = {i for i, text in enumerate(texts) if raw_matches(text)}
    assert raw <= _candidates(notes_table)


def test_prefilter_leaves_plain_sentences_out(notes_table: psycopg.Connection) -> None:
    texts = _labelled_texts()
    plain = {i for i, text in enumerate(texts) if text.startswith("Aaj bahut accha mehsoos")}
    assert plain and not plain & _candidates(notes_table)


def test_prefilter_on_fields_joined_by_a_line_break_keeps_every_flagged_field(
    notes_table: psycopg.Connection,
) -> None:
    """The way the package docstring tells the review queue to use it: concat_ws(E'\\n', ...)."""
    texts = _labelled_texts()
    flagged = {i for i, text in enumerate(texts) if find_risk_language(text)}
    sql = (
        "SELECT a.id FROM notes a JOIN notes b ON b.id = (a.id * 7919) %% %s "
        f"WHERE concat_ws(E'\\n', b.text, a.text, NULL, b.text) {OPERATOR} %s"
    )
    rows = notes_table.execute(sql, (len(texts), postgres_prefilter()))
    assert flagged <= {row[0] for row in rows}
