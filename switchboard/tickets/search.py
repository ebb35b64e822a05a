"""Full-text search over ticket titles, timeline text, contact names and form values (CORE-10, CC-01, CC-04).

Two back ends over one table, ``SearchEntry``: SQLite FTS5 (an external-content index kept by
triggers) and PostgreSQL full-text search (a GIN index on ``to_tsvector('simple', text)``). The
'simple' configuration and FTS5's ``unicode61 remove_diacritics 2`` treat English and Polish
alike: no stemming, case-insensitive, and on SQLite "zolw" finds "żółw". Every word of a query
must match, as a prefix ("donat" finds "donation"), somewhere in the ticket. FTS5 keeps prefix
indexes of one to three characters, so that a search as one types ("m", "ma") is a lookup.

The navbar's global search asks ``newest_matching_*``: only the newest entries that hold every
word, a bounded amount of work whatever the data.

The actions keep the entries current; nothing else writes them.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models.expressions import RawSQL

from switchboard.contacts.models import Contact
from switchboard.core.schema import execute_for_database
from switchboard.tickets import batch_writes
from switchboard.tickets.models import SearchEntry

# Longer texts are cut before indexing; PostgreSQL refuses tsvectors over 1 MB.
MAX_INDEXED_CHARS = 100_000
MAX_QUERY_WORDS = 8
_WORD = re.compile(r"\w+", re.UNICODE)

_SQLITE_SETUP = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS tickets_searchentry_fts USING fts5(
        text, content='tickets_searchentry', content_rowid='id', tokenize='unicode61 remove_diacritics 2',
        prefix='1 2 3')""",
    """CREATE TRIGGER IF NOT EXISTS tickets_searchentry_ai AFTER INSERT ON tickets_searchentry BEGIN
        INSERT INTO tickets_searchentry_fts(rowid, text) VALUES (new.id, new.text); END""",
    """CREATE TRIGGER IF NOT EXISTS tickets_searchentry_ad AFTER DELETE ON tickets_searchentry BEGIN
        INSERT INTO tickets_searchentry_fts(tickets_searchentry_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END""",
    """CREATE TRIGGER IF NOT EXISTS tickets_searchentry_au AFTER UPDATE OF text ON tickets_searchentry BEGIN
        INSERT INTO tickets_searchentry_fts(tickets_searchentry_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO tickets_searchentry_fts(rowid, text) VALUES (new.id, new.text); END""",
]
_SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS tickets_searchentry_ai",
    "DROP TRIGGER IF EXISTS tickets_searchentry_ad",
    "DROP TRIGGER IF EXISTS tickets_searchentry_au",
    "DROP TABLE IF EXISTS tickets_searchentry_fts",
]
_POSTGRES_SETUP = [
    "CREATE INDEX IF NOT EXISTS tickets_searchentry_text_fts ON tickets_searchentry "
    "USING GIN (to_tsvector('simple', text))",
]
_POSTGRES_TEARDOWN = ["DROP INDEX IF EXISTS tickets_searchentry_text_fts"]


def rebuild_index(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create the index anew from the entries (called by a migration that changes its options)."""
    remove_index(schema_editor)
    install_index(schema_editor)
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("INSERT INTO tickets_searchentry_fts(tickets_searchentry_fts) VALUES ('rebuild')")


def install_index(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create the database's full-text index (called by a migration)."""
    execute_for_database(schema_editor, sqlite=_SQLITE_SETUP, postgresql=_POSTGRES_SETUP)


def remove_index(schema_editor: BaseDatabaseSchemaEditor) -> None:
    execute_for_database(schema_editor, sqlite=_SQLITE_TEARDOWN, postgresql=_POSTGRES_TEARDOWN)


def add_text(*, ticket_id: int, source: SearchEntry.Source, source_id: int, text: str) -> None:
    """Make the text of a new source (a new ticket's title, a new activity) searchable."""
    batch_writes.add_search_entry(  # with the batch's others, in an intake batch
        SearchEntry(ticket_id=ticket_id, source=source, source_id=source_id, text=text[:MAX_INDEXED_CHARS])
    )


def index_text(*, ticket_id: int, source: SearchEntry.Source, source_id: int, text: str) -> None:
    """Replace the searchable text of one source of a ticket (a changed title)."""
    batch_writes.flush()  # an entry of this source may be waiting in a batch
    SearchEntry.objects.update_or_create(
        ticket_id=ticket_id, source=source, source_id=source_id, defaults={"text": text[:MAX_INDEXED_CHARS]}
    )


def remove_text(*, ticket_id: int, source: SearchEntry.Source, source_id: int) -> None:
    """Forget the searchable text of one source of a ticket (a form emptied)."""
    batch_writes.flush()
    SearchEntry.objects.filter(ticket_id=ticket_id, source=source, source_id=source_id).delete()


def reindex_contact_name(contact: Contact, **_signal: object) -> None:
    """The contact's tickets are found by their new name (``contact_renamed``, connected in
    ``TicketsConfig.ready``)."""
    batch_writes.flush()
    SearchEntry.objects.filter(source=SearchEntry.Source.CONTACT, source_id=contact.pk).update(
        text=contact.display_name
    )


def words_of(query: str) -> list[str]:
    return _WORD.findall(query.lower())


def matching_ticket_ids(query: str) -> RawSQL | None:
    """A subquery of the ids of tickets whose texts, together, hold every word of ``query``
    (as prefixes), for ``Ticket.objects.filter(id__in=…)``; ``None`` when it holds no words.

    Words may match different entries of a ticket: "maria pickup" finds the ticket of a
    contact named Maria whose correspondence mentions a pick-up.
    """
    words = words_of(query)[:MAX_QUERY_WORDS]
    if not words:
        return None
    if connection.vendor == "sqlite":
        one_word = (
            "SELECT e.ticket_id FROM tickets_searchentry_fts f JOIN tickets_searchentry e ON e.id = f.rowid "
            "WHERE tickets_searchentry_fts MATCH %s"
        )
        params = [f'"{word}"*' for word in words]
    else:
        one_word = (
            "SELECT ticket_id FROM tickets_searchentry WHERE to_tsvector('simple', text) @@ to_tsquery('simple', %s)"
        )
        params = [f"{word}:*" for word in words]
    # The SQL is fixed text; the user's words travel only as parameters.
    return RawSQL(" INTERSECT ".join([one_word] * len(words)), params)  # noqa: S611


def _terms(words: list[str]) -> str:
    """Every word, as a prefix, in one entry: the MATCH or tsquery text."""
    if connection.vendor == "sqlite":
        return " ".join(f'"{word}"*' for word in words)
    return " & ".join(f"{word}:*" for word in words)


def _newest_entries(query: str, *, scan: int) -> tuple[str, list[object]] | None:
    """SQL of the ids, tickets and sources of the ``scan`` newest entries that each hold every word."""
    words = words_of(query)[:MAX_QUERY_WORDS]
    if not words:
        return None
    if connection.vendor == "sqlite":
        sql = (
            "SELECT id, ticket_id, source, source_id FROM tickets_searchentry WHERE id IN (SELECT rowid "
            "FROM tickets_searchentry_fts WHERE tickets_searchentry_fts MATCH %s ORDER BY rowid DESC LIMIT %s)"
        )
    else:
        # A word of three letters or more matches few entries: the GIN index finds them all and the
        # newest are sorted out ("id + 0" keeps the planner from walking the primary key instead,
        # which would compute to_tsvector for every entry it passes). One or two letters match so
        # many that walking the newest entries finds enough at once.
        order = "id + 0" if max(len(word) for word in words) >= 3 else "id"
        sql = (
            "SELECT id, ticket_id, source, source_id FROM tickets_searchentry "  # noqa: S608 -- fixed SQL
            f"WHERE to_tsvector('simple', text) @@ to_tsquery('simple', %s) ORDER BY {order} DESC LIMIT %s"
        )
    return sql, [_terms(words), scan]


def newest_matching_ticket_ids(query: str, *, scan: int) -> RawSQL | None:
    """A subquery of the ids of tickets with a text (title, message, note, contact's name) that
    holds every word of ``query`` as prefixes, among the ``scan`` newest such texts."""
    if (entries := _newest_entries(query, scan=scan)) is None:
        return None
    sql, params = entries
    return RawSQL(f"SELECT ticket_id FROM ({sql}) AS newest", params)  # noqa: S611,S608 -- fixed SQL, words as parameters


def newest_matching_contact_ids(query: str, *, scan: int) -> RawSQL | None:
    """A subquery of the ids of contacts whose name holds every word of ``query`` as prefixes,
    among the ``scan`` newest texts that do."""
    if (entries := _newest_entries(query, scan=scan)) is None:
        return None
    sql, params = entries
    # SQLite: "+source" is no index key, so the newest entries are found first, then sorted out;
    # by the index of sources it would read every contact entry.
    source = "+source" if connection.vendor == "sqlite" else "source"
    return RawSQL(  # noqa: S611 -- fixed SQL, words as parameters
        f"SELECT source_id FROM ({sql}) AS newest WHERE {source} = %s",  # noqa: S608
        [*params, SearchEntry.Source.CONTACT],
    )
