"""Which ticket an inbound message goes to (MAIL-03), for the pipeline (pipeline.py): by the
ticket token or per-ticket reply address, the Message-IDs it answers, the contact's open ticket;
and whether an agent's emailed answer proves it is theirs (mail trust). Tickets are read with
their rows locked and marked so (``LOCKED``): the timeline does not read them again. What the
timeline needs with them (group, status, owner) is read once per batch, not joined into each read."""

from __future__ import annotations

import datetime as dt
import logging
import re
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


def find_ticket(
    inbound: Inbound, group: Group, point: ContactPoint | None, threads: dict[str, int], *, kind: str
) -> tuple[Ticket | None, Ticket | None]:
    """MAIL-03, in order: the ticket token in the subject or the per-ticket reply address, the
    Message-IDs it answers, then the contact's open ticket in the group (CORE-03). A token or
    address proves nothing (mail trust): it attaches the message only when the sender is the
    ticket's contact or in its copy, or when the message also answers that ticket's mail.
    Returns the ticket, and the ticket a token or address named without that proof."""
    by_headers = threaded_ticket(inbound, threads)
    named = None
    for ticket in named_tickets(inbound):
        if ticket == by_headers or _is_party(inbound.sender.address, ticket, kind=kind):
            return ticket, None
        named = named or ticket
    if by_headers is not None:
        return by_headers, None
    if point is None:
        return None, named
    return open_ticket_of(point.contact_id, group), named


def open_ticket_of(contact_id: int, group: Group) -> Ticket | None:
    """The contact's open ticket in the group, locked; at most one (CORE-03's constraint): no ORDER BY to build."""
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


def threaded_ticket(inbound: Inbound, threads: dict[str, int]) -> Ticket | None:
    """The ticket whose mail this message answers, by In-Reply-To and References."""
    thread = next((threads[message_id] for message_id in inbound.in_reply_to if message_id in threads), None)
    return follow_merges(mark_locked(locked_tickets().get(pk=thread))) if thread else None


def named_tickets(inbound: Inbound) -> list[Ticket]:
    """The tickets the subject's tokens and the per-ticket reply addresses name, in that order."""
    numbers = [int(match) for match in SUBJECT_TOKEN.findall(inbound.subject)]
    numbers += [int(match.group(1)) for address in inbound.recipients if (match := PLUS_ADDRESS.match(address))]
    tickets = [follow_merges(mark_locked(next(iter(locked_tickets().filter(number=n)[:1]), None))) for n in numbers]
    return [ticket for ticket in tickets if ticket is not None]


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
