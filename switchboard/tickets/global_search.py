"""Global search, the navbar's box and its results page (CORE-10, CC-01): open and closed
tickets and contacts by #number, name, phone number typed in any format, email address, title
and message text, as far as the agent may see them.

Whatever the data, a search costs two queries, one for the tickets and one for the contacts.
Each gathers the ids of what matches in one subquery, from indexes only: the ticket number's,
the contact points' (the start of an E.164 number or of an address) and the full-text index of
``search.py``; the agent's groups and the ordering then apply to those rows. Each index gives
at most ``SCAN`` rows as one types and ``ENTER_SCAN`` on the results page (the newest texts, the
first addresses), so a broad beginning such as "m" costs little more than a precise one. The
one search without a bound is the results page's for several words, which may be anywhere in a
ticket (as for closed tickets, CORE-10).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.points import phone_prefixes
from switchboard.tickets import search
from switchboard.tickets.models import Ticket
from switchboard.tickets.permissions import User, visible_contacts, visible_tickets

_TICKET_NUMBER = re.compile(r"#?\s*(\d{1,18})")
# Rows each index gives as one types, and on the results page.
SCAN = 300
ENTER_SCAN = 5000
# The beginning of an email address: no spaces, a letter or digit somewhere; from this many characters on.
_ADDRESS_START = re.compile(r"[^\s]*\w[^\s]*")
MIN_EMAIL_PREFIX = 3


@dataclass(frozen=True)
class Query:
    """What a search text can mean: a ticket number, the start of phone numbers or of an email
    address, words of the full-text index (of tickets, and of contacts' names)."""

    number: int | None
    phones: list[str]
    email: str
    words: str

    @classmethod
    def parse(cls, text: str) -> Query:
        text = text.strip()
        number_match = _TICKET_NUMBER.fullmatch(text)
        number = int(number_match.group(1)) if number_match else None
        phones = [] if text.startswith("#") else phone_prefixes(text, region=settings.PHONE_REGION)
        lowered = text.lower()
        single_word = len(lowered) >= MIN_EMAIL_PREFIX and _ADDRESS_START.fullmatch(lowered) is not None
        email = lowered if single_word and not phones and number is None else ""
        # A phone number, "#123" or an address is not looked for among the words of the text.
        words = "" if phones or text.startswith("#") or "@" in text else text
        return cls(number=number, phones=phones, email=email, words=words)


@dataclass(frozen=True)
class SearchResults:
    tickets: list[Ticket]
    contacts: list[Contact]  # each with ``phone`` and ``email``: its primary ones, or ""

    def __bool__(self) -> bool:
        return bool(self.tickets or self.contacts)


def _starting_with(kind: ContactPoint.Kind, prefix: str) -> QuerySet[ContactPoint]:
    points = ContactPoint.objects.filter(kind=kind, value__startswith=prefix)
    if connection.vendor == "sqlite":
        # SQLite's LIKE ignores case, so it cannot use the index; this range (the same rows) can.
        points = points.filter(value__gte=prefix, value__lt=prefix + "\U0010ffff")
    return points


def _matching_points(query: Query, *, scan: int) -> list[QuerySet[Any]]:
    """The contacts (``contact_id``) whose phone number or address begins as typed."""
    points = [_starting_with(ContactPoint.Kind.PHONE, prefix) for prefix in query.phones]
    if query.email:
        points.append(_starting_with(ContactPoint.Kind.EMAIL, query.email))
    contacts: list[QuerySet[Any]] = [point.values("contact_id") for point in points]
    return [contact.order_by("value")[:scan] for contact in contacts]


def _union(parts: Sequence[QuerySet[Any] | RawSQL]) -> RawSQL:
    """One subquery of the ids that any of ``parts`` (each selecting one column) selects."""
    sqls: list[str] = []
    params: list[Any] = []
    for position, part in enumerate(parts):
        sql, part_params = (part.sql, part.params) if isinstance(part, RawSQL) else part.query.sql_with_params()
        sqls.append(f"SELECT * FROM ({sql}) AS part{position}")  # noqa: S608 -- SQL from the ORM and search.py
        params.extend(part_params)
    return RawSQL(" UNION ".join(sqls), params)  # noqa: S611 -- the same


def _tickets(user: User, query: Query, *, limit: int, everything: bool) -> list[Ticket]:
    parts: list[QuerySet[Any] | RawSQL] = []
    if query.number is not None:
        parts.append(Ticket.objects.filter(number=query.number).values("id"))
    scan = ENTER_SCAN if everything else SCAN
    if points := _matching_points(query, scan=scan):
        parts.append(Ticket.objects.filter(contact_id__in=_union(points)).values("id"))
    if everything and len(search.words_of(query.words)) > 1:
        text = search.matching_ticket_ids(query.words)  # the words anywhere in a ticket
    else:
        text = search.newest_matching_ticket_ids(query.words, scan=scan)
    if text is not None:
        parts.append(text)
    if not parts:
        return []
    # The ticket of the number first, then open tickets, then closed; the latest first.
    rank = Case(
        When(number=query.number if query.number is not None else -1, then=Value(0)),
        When(closed_at__isnull=True, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    tickets = (
        visible_tickets(user)
        .filter(id__in=_union(parts))
        .select_related("status", "contact", "group")
        .annotate(rank=rank)
        .order_by("rank", "-updated_at", "-number")
    )
    return list(tickets[:limit])


def _first_point(kind: ContactPoint.Kind) -> Subquery:
    points = ContactPoint.objects.filter(contact_id=OuterRef("pk"), kind=kind).order_by("-is_primary", "id")
    return Subquery(points.values("value")[:1])


def _contacts(user: User, query: Query, *, limit: int, everything: bool) -> list[Contact]:
    scan = ENTER_SCAN if everything else SCAN
    parts: list[QuerySet[Any] | RawSQL] = list(_matching_points(query, scan=scan))
    if (names := search.newest_matching_contact_ids(query.words, scan=scan)) is not None:
        parts.append(names)
    if not parts:
        return []
    contacts = (
        visible_contacts(user)
        .filter(id__in=_union(parts))
        .annotate(phone=_first_point(ContactPoint.Kind.PHONE), email=_first_point(ContactPoint.Kind.EMAIL))
        .order_by("last_name", "first_name", "company_name", "id")
    )
    return list(contacts[:limit])


def find_tickets_and_contacts(
    user: User, text: str, *, tickets: int = 8, contacts: int = 5, everything: bool = False
) -> SearchResults:
    """What ``text`` finds among the tickets of ``user``'s groups (at most ``tickets``) and the
    contacts they may see (at most ``contacts``). Two queries; none for an empty text.

    As one types (``everything`` false), the words must all be in one text (a title, a message,
    a name) among the newest ``SCAN`` that hold them. With ``everything`` (the results page),
    among the newest ``ENTER_SCAN``, and several words may be anywhere in a ticket."""
    query = Query.parse(text)
    return SearchResults(
        tickets=_tickets(user, query, limit=tickets, everything=everything),
        contacts=_contacts(user, query, limit=contacts, everything=everything),
    )


def get_visible_contact(user: User, contact_id: int) -> Contact:
    """The contact if ``user`` may see it; raises Contact.DoesNotExist otherwise."""
    return visible_contacts(user).get(pk=contact_id)


def contact_tickets(user: User, contact: Contact) -> QuerySet[Ticket]:
    """The tickets of ``user``'s groups that ``contact`` wrote or is in copy on: open ones first,
    then the latest; with status and group, in one query however many there are. Tickets of
    other groups are neither listed nor counted (the contact's page, CC-01)."""
    in_copy = Ticket.cc_contacts.through.objects.filter(contact_id=contact.pk).values("ticket_id")
    ids = _union([Ticket.objects.filter(contact_id=contact.pk).values("id"), in_copy])
    return (
        visible_tickets(user)
        .filter(id__in=ids)
        .select_related("status", "contact", "group")
        .order_by(Case(When(closed_at__isnull=True, then=Value(0)), default=Value(1)), "-updated_at", "-id")
    )


def list_tickets_of_contact(user: User, contact: Contact, *, limit: int = 50) -> list[Ticket]:
    """``contact_tickets``, the first ``limit``."""
    return list(contact_tickets(user, contact)[:limit])
