"""Finding contacts as one types (CC-01): by name, company, email address or phone number in any
format, whatever the letters' accents ("lodz" finds "Łódź").

Each contact keeps its words in ``Contact.search_text``, made here in Python for both databases
alike: lower case, accents taken off (Unicode's decomposition, and by hand the letters it leaves
whole, such as "ł"), split into words of letters and digits, with a space before each. An email
address gives its words ("maria.garcia@example.org": maria garcia example org), a phone number
its digits in international form (+48 601 234 567: 48601234567). Every word typed must begin a
word of the contact, in any order.

- SQLite: an FTS5 index over that column (external content, kept by triggers on the table),
  with prefix indexes of one to three characters, so that "m" is a lookup too.
- PostgreSQL: a GIN trigram index (pg_trgm) over the column; a typed word is the pattern
  ``'% word%'`` (a word that begins with it), which the index serves.

PostgreSQL's unaccent is not used: the words are folded before they are stored and before they
are looked for, by one function, so both databases find the same contacts.

Whoever changes a contact's names or points keeps its words current: ``do_create_contact`` makes
them, ``do_rename_contact`` and ``reindex_contacts`` remake them, and a contact point saved or
deleted one at a time (the admin's inline, a contact page) remakes its contact's (signal
handlers below). A bulk ``update()`` of names or points must call ``reindex_contacts``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models.expressions import RawSQL

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.points import looks_like_phone, phone_prefixes
from switchboard.core.schema import execute_for_database

# Letters that Unicode's decomposition keeps whole (NFKD takes "ó" apart into "o" and an accent,
# but not "ł"), as someone types them without the accent.
_WHOLE_LETTERS = str.maketrans(
    {"ł": "l", "đ": "d", "ð": "d", "ø": "o", "ħ": "h", "ŧ": "t", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
)
_WORD = re.compile(r"[^\W_]+")  # letters and digits: "_", "." and "@" part words, as in addresses
MAX_QUERY_WORDS = 8
# The newest contacts a search tests one by one before it asks the index (matching_contact_ids).
RECENT = 2000

_SQLITE_SETUP = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS contacts_contact_fts USING fts5(
        search_text, content='contacts_contact', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')""",
    """CREATE TRIGGER IF NOT EXISTS contacts_contact_fts_ai AFTER INSERT ON contacts_contact BEGIN
        INSERT INTO contacts_contact_fts(rowid, search_text) VALUES (new.id, new.search_text); END""",
    """CREATE TRIGGER IF NOT EXISTS contacts_contact_fts_ad AFTER DELETE ON contacts_contact BEGIN
        INSERT INTO contacts_contact_fts(contacts_contact_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text); END""",
    """CREATE TRIGGER IF NOT EXISTS contacts_contact_fts_au AFTER UPDATE OF search_text ON contacts_contact BEGIN
        INSERT INTO contacts_contact_fts(contacts_contact_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO contacts_contact_fts(rowid, search_text) VALUES (new.id, new.search_text); END""",
    "INSERT INTO contacts_contact_fts(contacts_contact_fts) VALUES ('rebuild')",
]
_SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS contacts_contact_fts_ai",
    "DROP TRIGGER IF EXISTS contacts_contact_fts_ad",
    "DROP TRIGGER IF EXISTS contacts_contact_fts_au",
    "DROP TABLE IF EXISTS contacts_contact_fts",
]
# pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's owner may create it.
_POSTGRES_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS contacts_contact_search_trgm ON contacts_contact USING GIN (search_text gin_trgm_ops)",
]
_POSTGRES_TEARDOWN = ["DROP INDEX IF EXISTS contacts_contact_search_trgm"]


def install_index(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create the database's index of ``search_text`` (called by a migration)."""
    execute_for_database(schema_editor, sqlite=_SQLITE_SETUP, postgresql=_POSTGRES_SETUP)


def remove_index(schema_editor: BaseDatabaseSchemaEditor) -> None:
    execute_for_database(schema_editor, sqlite=_SQLITE_TEARDOWN, postgresql=_POSTGRES_TEARDOWN)


# --- the words ------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents: "Łódź" → "lodz", "Müller" → "muller", "Straße" → "strasse"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.translate(_WHOLE_LETTERS)


def words_of(text: str) -> list[str]:
    """The words of ``text`` as they are stored and looked for."""
    return _WORD.findall(fold(text))


def search_text_of(*, first_name: str, last_name: str, company_name: str, points: Iterable[tuple[str, str]]) -> str:
    """A contact's ``search_text`` from its names and its (kind, value) points, values normalised
    (lower-case addresses, E.164 numbers): " maria garcia maria garcia example org 48601234567"."""
    words = words_of(f"{first_name} {last_name} {company_name}")
    for kind, value in points:
        words += [value.lstrip("+")] if kind == ContactPoint.Kind.PHONE else words_of(value)
    return "".join(f" {word}" for word in words)


def reindex_contacts(contact_ids: Iterable[int]) -> None:
    """Remake the words of these contacts from what they are now: two reads and one write each."""
    for contact in Contact.objects.filter(pk__in=list(contact_ids)).prefetch_related("points"):
        text = search_text_of(
            first_name=contact.first_name,
            last_name=contact.last_name,
            company_name=contact.company_name,
            points=[(point.kind, point.value) for point in contact.points.all()],
        )
        if text != contact.search_text:
            Contact.objects.filter(pk=contact.pk).update(search_text=text)


def reindex_point_contact(instance: ContactPoint, **_signal: Any) -> None:
    """A point saved or deleted (``post_save``, ``post_delete``; connected in ContactsConfig.ready)."""
    reindex_contacts([instance.contact_id])


# --- looking them up ------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """What a typed text looks for: every group must match (AND); within a group, any of its
    words, as the beginning of a word of the contact (OR)."""

    groups: list[list[str]]

    @classmethod
    def parse(cls, text: str) -> Terms:
        # A phone number typed any way: the international forms it can begin (points.phone_prefixes).
        if prefixes := phone_prefixes(text, region=settings.PHONE_REGION):
            return cls([[prefix.lstrip("+") for prefix in prefixes]])
        if looks_like_phone(text):  # too short to tell how it goes on ("+48 60"): its digits as typed
            digits = re.sub(r"\D", "", text)
            return cls([[digits.removeprefix("00") or digits]])
        return cls([[word] for word in words_of(text)[:MAX_QUERY_WORDS]])

    def __bool__(self) -> bool:
        return bool(self.groups)

    def longest(self) -> int:
        return max(len(word) for group in self.groups for word in group)


def matching_contact_ids(terms: Terms, *, limit: int, offset: int = 0) -> RawSQL:
    """A subquery of the ids of the contacts that ``terms`` find, newest first, ``offset`` of
    them skipped and at most ``limit`` given: a bounded amount of work however many match.

    Two parts, the second read only when the first falls short (UNION ALL under a LIMIT stops
    as soon as it has enough, on both databases). First the newest ``RECENT`` contacts, read
    from the primary key and tested one by one: a word that begins many contacts' words ("m",
    "maria", "example") fills the page from them at once, where its index entries would be tens
    of thousands of rows to sort. Then the older ones, from the index: a rarer word ("wójcik
    maria", a phone number) has few entries there, and the newest of them are sorted out.
    """
    wanted = limit + offset
    tested, tested_params = _words_tested(terms)
    boundary = f"(SELECT MAX(id) - {RECENT} FROM contacts_contact)"  # noqa: S608 -- a constant
    if connection.vendor == "sqlite":
        match = " AND ".join("(" + " OR ".join(f'"{word}"*' for word in group) + ")" for group in terms.groups)
        older = (
            "SELECT rowid AS id FROM contacts_contact_fts WHERE contacts_contact_fts MATCH %s "  # noqa: S608 -- fixed SQL
            f"AND rowid <= {boundary} ORDER BY rowid DESC LIMIT %s"
        )
        older_params: list[object] = [match, wanted]
    else:
        # "id + 0" keeps the planner from walking the primary key instead (backwards for the order,
        # or over the range), testing every contact it passes: its guess of how many contacts
        # match can be far too high (several words) or too low (as for "Garcia" on a small table).
        older = f"SELECT id FROM contacts_contact WHERE {tested} AND id + 0 <= {boundary} ORDER BY id + 0 DESC LIMIT %s"  # noqa: S608 -- fixed SQL
        older_params = [*tested_params, wanted]
    # The newest contacts straight from the primary key: at most RECENT tests, however few match
    # ("|| ''" keeps PostgreSQL off the trigram index, whose lists of common trigrams are long).
    recent_tested = (
        tested.replace("search_text LIKE", "search_text || '' LIKE") if connection.vendor == "postgresql" else tested
    )
    recent = f"SELECT id FROM contacts_contact WHERE id > {boundary} AND {recent_tested} ORDER BY id DESC LIMIT %s"  # noqa: S608 -- fixed SQL
    sql = f"SELECT id FROM ({recent}) AS recent UNION ALL SELECT id FROM ({older}) AS older LIMIT %s OFFSET %s"  # noqa: S608 -- fixed SQL
    return RawSQL(sql, [*tested_params, wanted, *older_params, limit, offset])  # noqa: S611 -- the words as parameters


def _words_tested(terms: Terms, *, column: str = "") -> tuple[str, list[object]]:
    """The condition that a contact's words begin with ``terms``, tested on its ``search_text``
    (``'% word%'``: after a space; LIKE ignores case in SQLite, but the words are lower case)."""
    test = f"{column or 'search_text'} LIKE %s"
    sql = " AND ".join("(" + " OR ".join([test] * len(group)) + ")" for group in terms.groups)
    return sql, [f"% {word}%" for group in terms.groups for word in group]
