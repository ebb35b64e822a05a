"""Similar tickets (AGENT-04): past resolved tickets whose words are like this ticket's, with the
answer each got, for the agent who is answering a question that was answered before.

The ticket's most telling words (its title and the contact's first message, without the
contact's own name, numbers and the common words of English and Polish) are looked up in the
full-text index (tickets/search.py), each word's ``SCAN`` newest texts; each closed ticket of
the agent's groups among them scores by the words its title and correspondence hold, a rare
word counting more than a common one. The rarity is estimated from how far back a word's newest
texts reach, not counted: FTS5's bm25 counts each word's texts in the whole index first, 25 ms
for common words at 100k tickets. A bounded amount of work whatever the data (bench/
similar_tickets.py), and recent answers are the ones still true.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from switchboard.tickets.models import Activity, ActivityKind, SearchEntry, Ticket
from switchboard.tickets.permissions import visible_groups, visible_tickets
from switchboard.tickets.search import words_of

MAX_WORDS = 12
SCAN = 500
WINDOW = 30_000  # PostgreSQL: the newest texts a word is looked for in (some 4,000 tickets')
SHOWN = 5
TEXT_SOURCES = [SearchEntry.Source.TITLE, SearchEntry.Source.ACTIVITY]  # not the contact's name, not form values
QUESTION_KINDS = [
    ActivityKind.EMAIL_IN,
    ActivityKind.WEB_IN,
    ActivityKind.SMS_IN,
    ActivityKind.CHAT,
    ActivityKind.CALL_IN,
    ActivityKind.VOICEMAIL,
]

# Words that say nothing of what a ticket is about: English and Polish function words and the
# greetings and courtesies of every message.
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers him his how i if in into is it its just me more most my no nor not now of off on once only or other our
    out over own same she should so some such than that the their them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with would you your
    yours hello hi dear thanks thank regards best wishes kind please sincerely morning afternoon evening
    today tomorrow yesterday week day get got also know let need want like one two re fw fwd question problem help
    a aby ale bardzo bez bo by być był była było były ci cię co czy dla do dzień dziękuję dzięki gdy gdzie go i
    ich im ja jak jako je jego jej jest jestem jeszcze już ją kiedy kto która które który lub ma mam mi mnie mogę
    może mój moja moje na nad nam nas nie nic niż o od on ona one oni oraz po pod pozdrawiam pani pan panie
    proszę przez przy się są ta tak także te tego tej ten to tu tylko tym u w we więc witam z za ze że żeby
    dobry dzień""".split()
)


@dataclass(frozen=True)
class SimilarTicket:
    ticket: Ticket
    answer: str  # the last answer the contact got; "" if none was written


def telling_words(ticket: Ticket, first_message: str) -> list[str]:
    """Up to MAX_WORDS words that say what ``ticket`` is about: the title's first, then the
    first message's most frequent (longer ones first among equals)."""
    name = set(words_of(ticket.contact.display_name)) if ticket.contact else set()

    def telling(word: str) -> bool:
        return len(word) > 2 and not word.isdigit() and word not in STOP_WORDS and word not in name

    title = [word for word in dict.fromkeys(words_of(ticket.title)) if telling(word)]
    counts = Counter(word for word in words_of(first_message) if telling(word))
    message = sorted(counts, key=lambda word: (-counts[word], -len(word)))
    return list(dict.fromkeys([*title, *message]))[:MAX_WORDS]


def _first_message(ticket: Ticket) -> str:
    first = (
        Activity.objects.filter(ticket=ticket, kind__in=QUESTION_KINDS)
        .order_by("created_at", "pk")
        .values_list("body", flat=True)
        .first()
    )
    return first or ""


def _matches(words: list[str], *, group_ids: list[int], exclude: int) -> list[tuple[int, int, int | None]]:
    """For each word (by its place in ``words``), its SCAN newest texts, each with its ticket if
    that is a closed ticket of ``group_ids`` other than ``exclude`` (else None) and the text its
    title or correspondence."""
    if connection.vendor != "sqlite":
        return _matches_postgresql(words, group_ids=group_ids, exclude=exclude)
    one = (
        "SELECT * FROM (SELECT %s AS word, rowid AS id FROM tickets_searchentry_fts "
        "WHERE tickets_searchentry_fts MATCH %s ORDER BY rowid DESC LIMIT %s)"
    )
    params: list[str | int] = []
    for index, word in enumerate(words):
        params += [index, f'"{word}"', SCAN]
    # One query: an index walk per word, then lookups by primary key.
    matches = " UNION ALL ".join([one] * len(words))
    sql = f"WITH m (word, id) AS ({matches}) {_tickets_of_texts('m.word, m.id', group_ids)}"
    params += [*TEXT_SOURCES, *group_ids, exclude]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(word, entry_id, ticket_id) for word, entry_id, ticket_id in cursor.fetchall()]


def _tickets_of_texts(columns: str, group_ids: list[int]) -> str:
    """SQL after a ``WITH m`` of texts' ids: each text's ticket if a closed one of the groups,
    else None (left joins: every text stays, and counts to how far back its word reaches)."""
    groups = ", ".join(["%s"] * len(group_ids))
    return (
        f"SELECT {columns}, t.id FROM m "  # noqa: S608 -- fixed SQL
        "LEFT JOIN tickets_searchentry e ON e.id = m.id AND e.source IN (%s, %s) "
        f"LEFT JOIN tickets_ticket t ON t.id = e.ticket_id AND t.closed_at IS NOT NULL AND t.group_id IN ({groups}) "
        "AND t.id != %s"
    )


def _matches_postgresql(words: list[str], *, group_ids: list[int], exclude: int) -> list[tuple[int, int, int | None]]:
    """PostgreSQL keeps no index of the texts' order by word: each word's texts among the newest
    WINDOW are found by the full-text index and the primary key's range together (a BitmapAnd).
    Left to itself, for a common word the planner walks the range computing each text's tsvector
    (200 ms at 100k tickets), so plain index scans are off for that one query."""
    one = (
        "(SELECT %s AS word, id FROM tickets_searchentry WHERE to_tsvector('simple', text) @@ to_tsquery('simple', %s) "
        "AND id > %s ORDER BY id + 0 DESC LIMIT %s)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM tickets_searchentry")
        since = cursor.fetchone()[0] - WINDOW
        params: list[str | int] = []
        for index, word in enumerate(words):
            params += [index, word, since, SCAN]
        cursor.execute("SELECT set_config('enable_indexscan', 'off', true)")
        cursor.execute(" UNION ALL ".join([one] * len(words)), params)
        found = cursor.fetchall()
        cursor.execute("SELECT set_config('enable_indexscan', 'on', true)")
        ids = list(dict.fromkeys(entry_id for _word, entry_id in found))
        if not ids:
            return []
        values = ", ".join(["(%s)"] * len(ids))
        sql = f"WITH m (id) AS (VALUES {values}) {_tickets_of_texts('m.id', group_ids)}"
        cursor.execute(sql, [*ids, *TEXT_SOURCES, *group_ids, exclude])
        tickets = dict(cursor.fetchall())
    return [(word, entry_id, tickets.get(entry_id)) for word, entry_id in found]


def _ranked_ticket_ids(words: list[str], *, group_ids: list[int], exclude: int) -> list[int]:
    """The ids of the closed tickets of ``group_ids`` among the texts that hold the words, those
    that hold the most telling words first (each word counted once a ticket). How telling a word
    is: the rarer among the newest texts, the more, an inverse document frequency estimated from
    how far back its SCAN newest texts reach."""
    rows = _matches(words, group_ids=group_ids, exclude=exclude)
    newest = max((entry_id for _word, entry_id, _ticket in rows), default=0)
    reach: dict[int, list[int]] = {}
    for word, entry_id, _ticket in rows:
        reach.setdefault(word, []).append(entry_id)
    weights = {word: math.log(1 + (newest - min(ids) + 1) / len(ids)) for word, ids in reach.items()}
    held: dict[int, set[int]] = {}
    for word, _entry, ticket_id in rows:
        if ticket_id is not None:
            held.setdefault(ticket_id, set()).add(word)
    scores = {ticket_id: sum(weights[word] for word in found) for ticket_id, found in held.items()}
    return sorted(scores, key=lambda ticket_id: (-scores[ticket_id], -ticket_id))[:SHOWN]


def list_similar_tickets(ticket: Ticket, *, user: User) -> list[SimilarTicket]:
    """Past resolved tickets like ``ticket``, best first, only of ``user``'s groups, each with
    its last answer: four queries whatever the data (eight on PostgreSQL)."""
    words = telling_words(ticket, _first_message(ticket))
    group_ids = list(visible_groups(user).values_list("pk", flat=True))
    if not words or not group_ids:
        return []
    ids = _ranked_ticket_ids(words, group_ids=group_ids, exclude=ticket.pk)
    answers = Activity.objects.filter(ticket=OuterRef("pk"), kind__in=ActivityKind.answer_kinds()).order_by(
        "-created_at", "-pk"
    )
    found = {
        found.pk: found
        for found in visible_tickets(user)
        .filter(pk__in=ids)
        .select_related("group", "status", "contact")
        .annotate(answer=Subquery(answers.values("body")[:1]))
    }
    return [SimilarTicket(ticket=found[pk], answer=found[pk].answer or "") for pk in ids if pk in found]
