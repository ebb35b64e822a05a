"""Finding articles by words and by the beginnings of words, in English and Polish, whatever the
accents ("lodz" finds "Łódź", "wolon" finds "wolontariusz"): SELF-02.

The two back ends of the tickets' search (tickets/search.py) over the folded words of the
contacts' search (contacts/search.py): each article keeps the words of its title and of its
text in ``search_title`` and ``search_body``, lower case and without accents, folded in Python
by ``contacts.search.words_of`` before they are stored and before they are looked for, so both
databases find the same articles.

- SQLite: an FTS5 table over the two columns (external content, kept by triggers), with prefix
  indexes of one to three characters; ranked by bm25, a word in the title counting ten times.
- PostgreSQL: the two columns' tsvector ('simple': no stemming), the title weighted A, in a
  generated column with a GIN index; a typed word is the prefix query ``word:*``, ranked by
  ``ts_rank``.

Every word typed must begin a word of the article (title or text). Only the actions write the
columns (``index_article``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from switchboard.contacts.search import words_of
from switchboard.core.html import html_to_text
from switchboard.core.schema import execute_for_database

MAX_QUERY_WORDS = 8
MAX_SENTENCE_WORDS = 12
MAX_INDEXED_CHARS = 100_000

_SQLITE_SETUP = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_article_fts USING fts5(
        search_title, search_body, content='knowledge_article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')""",
    """CREATE TRIGGER IF NOT EXISTS knowledge_article_fts_ai AFTER INSERT ON knowledge_article BEGIN
        INSERT INTO knowledge_article_fts(rowid, search_title, search_body)
        VALUES (new.id, new.search_title, new.search_body); END""",
    """CREATE TRIGGER IF NOT EXISTS knowledge_article_fts_ad AFTER DELETE ON knowledge_article BEGIN
        INSERT INTO knowledge_article_fts(knowledge_article_fts, rowid, search_title, search_body)
        VALUES ('delete', old.id, old.search_title, old.search_body); END""",
    """CREATE TRIGGER IF NOT EXISTS knowledge_article_fts_au
        AFTER UPDATE OF search_title, search_body ON knowledge_article BEGIN
        INSERT INTO knowledge_article_fts(knowledge_article_fts, rowid, search_title, search_body)
        VALUES ('delete', old.id, old.search_title, old.search_body);
        INSERT INTO knowledge_article_fts(rowid, search_title, search_body)
        VALUES (new.id, new.search_title, new.search_body); END""",
    "INSERT INTO knowledge_article_fts(knowledge_article_fts) VALUES ('rebuild')",
]
_SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS knowledge_article_fts_ai",
    "DROP TRIGGER IF EXISTS knowledge_article_fts_ad",
    "DROP TRIGGER IF EXISTS knowledge_article_fts_au",
    "DROP TABLE IF EXISTS knowledge_article_fts",
]
# PostgreSQL keeps each article's tsvector in a generated column (no stemming: 'simple'), the title's
# words weighted A: ranking reads it instead of parsing every matching article's text again.
_POSTGRES_SETUP = [
    "ALTER TABLE knowledge_article ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    "(setweight(to_tsvector('simple', search_title), 'A') || setweight(to_tsvector('simple', search_body), 'B')) "
    "STORED",
    "CREATE INDEX IF NOT EXISTS knowledge_article_fts ON knowledge_article USING GIN (search_vector)",
]
_POSTGRES_TEARDOWN = [
    "DROP INDEX IF EXISTS knowledge_article_fts",
    "ALTER TABLE knowledge_article DROP COLUMN IF EXISTS search_vector",
]


def install_index(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create the database's full-text index of the articles (called by a migration)."""
    execute_for_database(schema_editor, sqlite=_SQLITE_SETUP, postgresql=_POSTGRES_SETUP)


def remove_index(schema_editor: BaseDatabaseSchemaEditor) -> None:
    execute_for_database(schema_editor, sqlite=_SQLITE_TEARDOWN, postgresql=_POSTGRES_TEARDOWN)


def folded(text: str) -> str:
    """The words of ``text`` as they are stored: " wolontariusz lodz"."""
    return "".join(f" {word}" for word in words_of(text[:MAX_INDEXED_CHARS]))


def search_columns(*, title: str, summary: str, body_html: str) -> dict[str, str]:
    """What an article's ``search_title`` and ``search_body`` hold."""
    return {"search_title": folded(title), "search_body": folded(f"{summary}\n{html_to_text(body_html)}")}


def query_words(query: str) -> list[str]:
    return words_of(query)[:MAX_QUERY_WORDS]


def suggestion_words(text: str) -> tuple[list[str], bool]:
    """The words to look for as someone types, and whether any of them will do: a few words
    typed are all looked for (a search); a sentence or a message is too long for all its words
    to be in one article, so its longer words are, any of them, best-matching first."""
    words = words_of(text)
    if len(words) <= 3:
        return words, False
    return list(dict.fromkeys(word for word in words if len(word) >= 4))[:MAX_SENTENCE_WORDS], True


def ranked_article_ids(
    words: list[str], *, condition: str, params: Sequence[str], limit: int, any_word: bool = False
) -> list[int]:
    """The ids of the articles (``a``) that hold every word of ``words`` (``any_word``: one of
    them) as beginnings of words and meet ``condition`` (fixed SQL over ``a``'s columns, with
    ``params``), best first, at most ``limit``: one query. No words ask nothing."""
    if not words:
        return []
    if connection.vendor == "sqlite":
        match = (" OR " if any_word else " ").join(f'"{word}"*' for word in words)
        sql = (
            "SELECT a.id FROM knowledge_article_fts f JOIN knowledge_article a ON a.id = f.rowid "  # noqa: S608 -- fixed SQL
            f"WHERE knowledge_article_fts MATCH %s AND {condition} "
            "ORDER BY bm25(knowledge_article_fts, 10.0, 1.0), a.id DESC LIMIT %s"
        )
        values: list[str | int] = [match, *params, limit]
    else:
        terms = (" | " if any_word else " & ").join(f"{word}:*" for word in words)
        sql = (
            f"SELECT a.id FROM knowledge_article a WHERE a.search_vector @@ to_tsquery('simple', %s) AND {condition} "  # noqa: S608 -- fixed SQL
            "ORDER BY ts_rank(a.search_vector, to_tsquery('simple', %s)) DESC, a.id DESC LIMIT %s"
        )
        values = [terms, *params, terms, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)  # the user's words travel only as parameters
        return [row[0] for row in cursor.fetchall()]
