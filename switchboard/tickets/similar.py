"""Similar tickets (AGENT-04): past resolved tickets whose words are like this ticket's, with the
answer each got, for the agent who is answering a question that was answered before.

The ticket's most telling words (its title and the contact's first message, without the
contact's own name, numbers and the common words of English and Polish) are looked up in the
full-text index (tickets/search.py) as "any of these words"; each closed ticket of the agent's
groups scores by how many of them its title and correspondence hold, the rarer words counting
more (SQLite FTS5's bm25; PostgreSQL's ts_rank over the same 'simple' configuration). Only the
newest ``SCAN`` matching texts are scored: a bounded amount of work whatever the data (bench/
similar_tickets.py), and recent answers are the ones still true.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import OuterRef, Subquery

from switchboard.tickets.models import Activity, ActivityKind, SearchEntry, Ticket
from switchboard.tickets.permissions import visible_groups
from switchboard.tickets.search import words_of

MAX_WORDS = 12
SCAN = 2000
SHOWN = 5
ANSWER_KINDS = [ActivityKind.EMAIL_OUT, ActivityKind.SMS_OUT]
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


def _ranked_ticket_ids(words: list[str], *, group_ids: list[int], exclude: int) -> list[int]:
    """The ids of the closed tickets of ``group_ids`` whose newest SCAN matching texts score best."""
    groups = ", ".join(["%s"] * len(group_ids))
    sources = [SearchEntry.Source.TITLE, SearchEntry.Source.ACTIVITY]
    if connection.vendor == "sqlite":
        terms = " OR ".join(f'"{word}"' for word in words)
        # bm25 is lower for a better match; "+e.source" keeps the planner on the full-text index.
        sql = f"""
            SELECT ticket_id FROM (
                SELECT e.ticket_id, bm25(tickets_searchentry_fts) AS score
                FROM tickets_searchentry_fts f
                JOIN tickets_searchentry e ON e.id = f.rowid
                JOIN tickets_ticket t ON t.id = e.ticket_id
                WHERE tickets_searchentry_fts MATCH %s AND +e.source IN (%s, %s)
                  AND t.closed_at IS NOT NULL AND t.group_id IN ({groups}) AND t.id != %s
                ORDER BY f.rowid DESC LIMIT %s
            ) AS found GROUP BY ticket_id ORDER BY sum(score) LIMIT %s"""  # noqa: S608 -- fixed SQL, words as parameters
    else:
        terms = " | ".join(words)
        sql = f"""
            SELECT ticket_id FROM (
                SELECT e.ticket_id, ts_rank(to_tsvector('simple', e.text), to_tsquery('simple', %s)) AS score
                FROM tickets_searchentry e
                JOIN tickets_ticket t ON t.id = e.ticket_id
                WHERE to_tsvector('simple', e.text) @@ to_tsquery('simple', %s) AND e.source IN (%s, %s)
                  AND t.closed_at IS NOT NULL AND t.group_id IN ({groups}) AND t.id != %s
                ORDER BY e.id DESC LIMIT %s
            ) AS found GROUP BY ticket_id ORDER BY sum(score) DESC LIMIT %s"""  # noqa: S608 -- fixed SQL, words as parameters
    params: list[str | int] = [terms] if connection.vendor == "sqlite" else [terms, terms]
    params += [*sources, *group_ids, exclude, SCAN, SHOWN]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def list_similar_tickets(ticket: Ticket, *, user: User) -> list[SimilarTicket]:
    """Past resolved tickets like ``ticket``, best first, only of ``user``'s groups, each with
    its last answer: four queries whatever the data."""
    words = telling_words(ticket, _first_message(ticket))
    group_ids = list(visible_groups(user).values_list("pk", flat=True))
    if not words or not group_ids:
        return []
    ids = _ranked_ticket_ids(words, group_ids=group_ids, exclude=ticket.pk)
    answers = Activity.objects.filter(ticket=OuterRef("pk"), kind__in=ANSWER_KINDS).order_by("-created_at", "-pk")
    found = {
        found.pk: found
        for found in Ticket.objects.filter(pk__in=ids, group_id__in=group_ids)
        .select_related("group", "status", "contact")
        .annotate(answer=Subquery(answers.values("body")[:1]))
    }
    return [SimilarTicket(ticket=found[pk], answer=found[pk].answer or "") for pk in ids if pk in found]
