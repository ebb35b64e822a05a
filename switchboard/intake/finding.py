"""Which ticket an inbound message goes to (MAIL-03), for the pipeline (pipeline.py): by the
ticket token or per-ticket reply address, the Message-IDs it answers, the contact's open ticket;
and whether an agent's emailed answer proves it is theirs (mail trust). Tickets are read with
their rows locked and marked so (``LOCKED``): the timeline does not read them again. What the
timeline needs with them (group, status, owner) is read once per batch, not joined into each read."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from switchboard.contacts.models import ContactPoint
from switchboard.intake.inbound import Inbound
from switchboard.intake.trust import Authentication, find_ticket_by_reply_address
from switchboard.tickets import batch_writes
from switchboard.tickets.models import SUBJECT_TOKEN, Group, Status, Ticket
from switchboard.tickets.selectors import follow_merges

log = logging.getLogger(__name__)

PLUS_ADDRESS = re.compile(r"^[^@+]+\+t(\d{1,18})@", re.IGNORECASE)
LOCKED = "_locked_by_intake"  # set on a Ticket read with its row locked in the batch's transaction


@dataclass
class BatchTickets:
    """The tickets a batch's messages may go to, read with their rows locked at the batch's start
    in three queries (by thread, by token, the senders' open tickets), not one a message: building
    a locked read cost more CPU than anything else a message did (bench/README.md, "Inbound mail").

    Each ticket is handed out once (``take``): a second message to the same ticket, or to a ticket
    an earlier message of the batch changed (``forget``), reads it again as before. "No open ticket"
    holds for a contact until a message from them, or to their ticket, has been applied. After a
    message that failed (its savepoint rolled back) nothing read here is used (``clear``)."""

    by_pk: dict[int, Ticket] = field(default_factory=dict)
    by_number: dict[int, Ticket] = field(default_factory=dict)
    open_of: dict[tuple[int, int], Ticket | None] = field(default_factory=dict)  # (contact, group) → open one

    def take(self, ticket: Ticket | None) -> Ticket | None:
        if ticket is not None:
            self.forget(ticket)
        return ticket

    def forget(self, ticket: Ticket) -> None:
        """Not to be handed out again: ``ticket`` has been used or changed in this batch."""
        self.by_pk.pop(ticket.pk, None)
        self.by_number.pop(ticket.number, None)
        self.forget_contact(ticket.contact_id)

    def forget_contact(self, contact_id: int | None) -> None:
        for key in [key for key in self.open_of if key[0] == contact_id]:
            del self.open_of[key]

    def clear(self) -> None:
        self.by_pk.clear()
        self.by_number.clear()
        self.open_of.clear()


def read_batch_tickets(
    inbounds: list[Inbound], threads: dict[str, int], contacts: set[int], group_ids: set[int]
) -> BatchTickets:
    """The tickets ``inbounds`` may go to by ``find_ticket``'s rules, locked: their threads' (by
    ``threads``), their tokens' and reply addresses', and the open tickets of ``contacts`` (the
    known senders) in ``group_ids``."""
    known = BatchTickets()
    thread_ids = {thread for inbound in inbounds if (thread := _thread_of(inbound, threads)) is not None}
    numbers = {number for inbound in inbounds for number in _numbers_named(inbound)}
    if thread_ids:
        known.by_pk.update((ticket.pk, ticket) for ticket in locked_tickets().filter(pk__in=thread_ids).order_by("pk"))
    if numbers:
        found = locked_tickets().filter(number__in=numbers).order_by("pk")
        known.by_number.update((ticket.number, known.by_pk.get(ticket.pk, ticket)) for ticket in found)
    if contacts and group_ids:
        known.open_of.update(((contact, group), None) for contact in contacts for group in group_ids)
        open_tickets = locked_tickets().filter(contact_id__in=contacts, group_id__in=group_ids, closed_at__isnull=True)
        for row in open_tickets.order_by("pk"):  # the same row read twice: one object
            ticket = known.by_pk.get(row.pk) or known.by_number.get(row.number) or row
            known.open_of[(row.contact_id, row.group_id)] = ticket  # type: ignore[index]  # contact_id__in: set
    for each in [*known.by_pk.values(), *known.by_number.values(), *known.open_of.values()]:
        mark_locked(each)
    return known


def find_ticket(  # noqa: PLR0913
    inbound: Inbound,
    group: Group,
    point: ContactPoint | None,
    threads: dict[str, int],
    *,
    kind: str,
    known: BatchTickets | None = None,
) -> tuple[Ticket | None, Ticket | None]:
    """MAIL-03, in order: the ticket token in the subject or the per-ticket reply address, the
    Message-IDs it answers, then the contact's open ticket in the group (CORE-03). A token or
    address proves nothing (mail trust): it attaches the message only when the sender is the
    ticket's contact or in its copy, or when the message also answers that ticket's mail.
    Returns the ticket, and the ticket a token or address named without that proof."""
    by_headers = threaded_ticket(inbound, threads, known=known)
    named = None
    for ticket in named_tickets(inbound, known=known):
        if ticket == by_headers or _is_party(inbound.sender.address, ticket, kind=kind):
            return ticket, None
        named = named or ticket
    if by_headers is not None:
        return by_headers, None
    if point is None:
        return None, named
    return open_ticket_of(point.contact_id, group, known=known), named


def open_ticket_of(contact_id: int, group: Group, *, known: BatchTickets | None = None) -> Ticket | None:
    """The contact's open ticket in the group, locked; at most one (CORE-03's constraint): no ORDER BY to build."""
    if known is not None and (contact_id, group.pk) in known.open_of:
        return known.take(known.open_of[(contact_id, group.pk)])
    open_tickets = locked_tickets().filter(contact_id=contact_id, group=group, closed_at__isnull=True)[:1]
    return mark_locked(next(iter(open_tickets), None))


def locked_tickets() -> QuerySet[Ticket]:
    """Tickets read with their rows locked (``do_add_inbound_message`` then reads the one it gets
    no second time); ``mark_locked`` gives each what the timeline needs."""
    return Ticket.objects.select_for_update(of=("self",))


def mark_locked(ticket: Ticket | None) -> Ticket | None:
    """``ticket`` (from ``locked_tickets``) marked as read with its row locked in this transaction,
    with its group, status and owner: each read once per batch (``batch_writes.read_once``; the
    intake changes none of them), not joined into every ticket's read — three joined models a
    read cost about as much CPU as the read itself (bench/README.md, "Inbound mail")."""
    if ticket is not None:
        ticket.group = batch_writes.read_once(
            ("group", ticket.group_id), partial(Group.objects.get, pk=ticket.group_id)
        )
        ticket.status = batch_writes.read_once(
            ("status", ticket.status_id), partial(Status.objects.get, pk=ticket.status_id)
        )
        if ticket.owner_id is not None:
            ticket.owner = batch_writes.read_once(
                ("ticket owner", ticket.owner_id), partial(User.objects.get, pk=ticket.owner_id)
            )
        setattr(ticket, LOCKED, True)
    return ticket


def recently_closed(point: ContactPoint, group: Group) -> Ticket | None:
    """The contact's ticket in the group closed within FOLLOW_UP_DAYS: a call or text, which
    names no ticket as an email's headers do, continues it as the group says (reopened, or a
    new ticket that follows it)."""
    if settings.FOLLOW_UP_DAYS <= 0:
        return None
    since = timezone.now() - dt.timedelta(days=settings.FOLLOW_UP_DAYS)
    closed = Ticket.objects.filter(contact_id=point.contact_id, group=group, closed_at__gte=since, merged_into=None)
    ticket = closed.order_by("-closed_at").first()
    if ticket is not None:
        ticket.group = group  # known: no query for it later
    return ticket


def threaded_ticket(inbound: Inbound, threads: dict[str, int], *, known: BatchTickets | None = None) -> Ticket | None:
    """The ticket whose mail this message answers, by In-Reply-To and References."""
    thread = _thread_of(inbound, threads)
    if not thread:
        return None
    if known is not None and thread in known.by_pk:
        return follow_merges(known.take(known.by_pk[thread]))
    return follow_merges(mark_locked(locked_tickets().get(pk=thread)))


def _thread_of(inbound: Inbound, threads: dict[str, int]) -> int | None:
    return next((threads[message_id] for message_id in inbound.in_reply_to if message_id in threads), None)


def named_tickets(inbound: Inbound, *, known: BatchTickets | None = None) -> list[Ticket]:
    """The tickets the subject's tokens and the per-ticket reply addresses name, in that order."""
    tickets = []
    for number in _numbers_named(inbound):
        if known is not None and number in known.by_number:
            ticket = known.take(known.by_number[number])
        else:
            ticket = mark_locked(next(iter(locked_tickets().filter(number=number)[:1]), None))
        tickets.append(follow_merges(ticket))
    return [ticket for ticket in tickets if ticket is not None]


def _numbers_named(inbound: Inbound) -> list[int]:
    numbers = [int(match) for match in SUBJECT_TOKEN.findall(inbound.subject)]
    return numbers + [int(match.group(1)) for address in inbound.recipients if (match := PLUS_ADDRESS.match(address))]


def agents_answer(
    inbound: Inbound, agent: User | None, authentication: Authentication, threads: dict[str, int]
) -> tuple[bool, Ticket | None]:
    """Whether mail from ``agent``'s address proves it is the agent's (mail trust): sent to the
    agent's secret reply address, or authenticated by our own mail server; and then the ticket
    it answers. Unproven, it is a contact's message, marked on the timeline."""
    if agent is None:
        return False, None
    if (ticket := find_ticket_by_reply_address(inbound, agent)) is not None:
        return True, follow_merges(ticket)
    if not (agent.is_active and authentication.proves(agent.email)):
        log.info("Mail from agent address %s without proof: taken as a contact's", inbound.sender.address)
        return False, None
    return True, next(iter(named_tickets(inbound)), None) or threaded_ticket(inbound, threads)


def _is_party(address: str, ticket: Ticket, *, kind: str) -> bool:
    points = ContactPoint.objects.filter(kind=kind, value=address)
    return points.filter(Q(contact__tickets=ticket) | Q(contact__cc_tickets=ticket)).exists()
