"""What an intake batch's messages are checked against (intake/pipeline.py): the fixed part
(our addresses, blocked senders, the users' addresses) read once per batch or per job, and what
the batch's messages name (their senders' contacts, the Message-IDs they answer or repeat, the
tickets they may go to) read in a few queries per batch and kept up to date as its messages are
applied; a message rolled back takes what it added with it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact, ContactPoint
from switchboard.intake.channels import get_channel, list_channels
from switchboard.intake.finding import BatchTickets, read_batch_tickets
from switchboard.intake.inbound import Inbound, Person
from switchboard.intake.models import BlockedSender, OutboundMessage, RawMessage
from switchboard.tickets.models import Activity, Group, Ticket

_Remembered = tuple[dict[tuple[int, str], int], dict[str, int], dict[tuple[str, str], ContactPoint]]


@dataclass
class BatchContext:
    """What the messages of a batch are checked against, read in a few queries per batch (not
    per message) and kept up to date as the batch's own messages are applied."""

    blocked: list[BlockedSender]
    our_addresses: set[str]  # group reply addresses and each channel's own (mailboxes): never contacts
    agents: dict[str, User]  # users by lower-case email address
    autorespond: bool
    on_tickets: dict[tuple[int, str], int]  # (group id, Message-ID) → ticket number: redeliveries
    threads: dict[str, int]  # Message-ID of a ticket's mail (in or out) → ticket id
    points: dict[tuple[str, str], ContactPoint]  # (kind, address) → contact point, with its contact
    tickets: BatchTickets  # the tickets the messages may go to, read locked at the batch's start
    route_later: dict[int, Group]  # groups whose waiting tickets are routed after the commit
    done: list[RawMessage] = field(default_factory=list)  # finished (``_finish``), saved when the batch ends

    def remember(self, inbound: Inbound, ticket: Ticket) -> None:
        if inbound.message_id:
            self.on_tickets[(ticket.group_id, inbound.message_id)] = ticket.number
            self.threads[inbound.message_id] = ticket.pk

    def remembered(self) -> _Remembered:
        """What the batch knows before a message: copies, small (a batch's senders and threads)."""
        return dict(self.on_tickets), dict(self.threads), dict(self.points)

    def forget_since(self, remembered: _Remembered) -> None:
        """A message rolled back: what it added is gone, and what the batch read at its start is
        not used again."""
        self.on_tickets, self.threads, self.points = remembered
        self.tickets.clear()

    def point_of(self, person: Person, kind: str) -> ContactPoint | None:
        return self.points.get((kind, person.address))

    def contact_for(self, person: Person, kind: str) -> Contact:
        """The contact with this address (of ``kind``: the channel's), made from the sender's
        name if there is none yet."""
        if point := self.points.get((kind, person.address)):
            return point.contact
        contact = new_contact(person, kind)
        if person.address:  # a caller without a number is a new contact each time
            self.points[(kind, person.address)] = ContactPoint(contact=contact, kind=kind, value=person.address)
        return contact


@dataclass(frozen=True)
class FixedContext:
    """What every message is checked against whatever it says: read once per batch, or per job."""

    blocked: list[BlockedSender]
    our_addresses: set[str]
    user_addresses: list[tuple[int, str]]  # (user id, lower-case email) of every user with one

    @classmethod
    def read(cls) -> FixedContext:
        ours = {
            address.lower()
            for address in Group.objects.exclude(reply_address="").values_list("reply_address", flat=True)
        }
        # Each list once: channels may share one (the phone's calls and texts: our numbers).
        own_lists = dict.fromkeys(channel.own_addresses for channel in list_channels())
        ours |= {address.lower() for own_addresses in own_lists for address in own_addresses()}
        ours.add(settings.DEFAULT_FROM_EMAIL.lower())
        users = [(pk, email.lower()) for pk, email in User.objects.exclude(email="").values_list("pk", "email")]
        return cls(list(BlockedSender.objects.all()), ours, users)


def read_batch_context(
    inbounds: list[Inbound],
    *,
    autorespond: bool,
    group_ids: set[int],
    fixed: FixedContext | None = None,
    route_later: dict[int, Group],
) -> BatchContext:
    fixed = fixed or FixedContext.read()
    # The users whose address sent one of the batch's messages, deactivated ones too: none is a
    # contact's to claim. Every address is compared (a few hundred pairs), the senders' users read.
    from_addresses = {inbound.sender.address for inbound in inbounds}
    agents: dict[str, User] = {}
    if senders_users := [pk for pk, email in fixed.user_addresses if email in from_addresses]:
        for user in User.objects.filter(pk__in=senders_users).order_by("-is_active", "pk"):
            agents.setdefault(user.email.lower(), user)
    own_ids = [inbound.message_id for inbound in inbounds if inbound.message_id]
    answered = list({message_id[:998] for inbound in inbounds for message_id in inbound.in_reply_to})
    on_tickets = {
        (group_id, message_id): number
        for message_id, group_id, number in Activity.objects.filter(message_id__in=own_ids).values_list(
            "message_id", "ticket__group_id", "ticket__number"
        )
    }
    on_tickets.update(  # an agent's emailed answer went out under another Message-ID
        {
            (group_id, message_id): number
            for message_id, group_id, number in RawMessage.objects.filter(
                message_id__in=own_ids, state=RawMessage.State.APPLIED, ticket__isnull=False
            ).values_list("message_id", "ticket__group_id", "ticket__number")
        }
    )
    threads = dict(
        OutboundMessage.objects.filter(message_id__in=answered, ticket__isnull=False).values_list(
            "message_id", "ticket_id"
        )
    )
    threads.update(
        Activity.objects.filter(message_id__in=answered).order_by("created_at").values_list("message_id", "ticket_id")
    )
    senders = list({person.address for inbound in inbounds for person in [inbound.sender, *inbound.cc]})
    kinds = list({get_channel(inbound.channel).contact_point_kind for inbound in inbounds})
    points = {
        (point.kind, point.value): point
        for point in ContactPoint.objects.select_related("contact").filter(kind__in=kinds, value__in=senders)
    }
    tickets = _batch_tickets(inbounds, threads, points, group_ids)
    context = (fixed.blocked, fixed.our_addresses, agents, autorespond, on_tickets, threads, points, tickets)
    return BatchContext(*context, route_later)


def _batch_tickets(
    inbounds: list[Inbound], threads: dict[str, int], points: dict[tuple[str, str], ContactPoint], group_ids: set[int]
) -> BatchTickets:
    """The batch's tickets read up front (``read_batch_tickets``) when it has several messages;
    one message reads its own as it finds them, stopping at the first that matches."""
    if len(inbounds) < 2:
        return BatchTickets()
    unnamed = [inbound for inbound in inbounds if inbound.ticket_id is None]
    kinds = {inbound.channel: get_channel(inbound.channel).contact_point_kind for inbound in unnamed}
    senders = {point.contact_id for i in unnamed if (point := points.get((kinds[i.channel], i.sender.address)))}
    return read_batch_tickets(unnamed, threads, senders, group_ids)


def new_contact(person: Person, kind: str) -> Contact:
    """A contact named as the sender is: "Maria Garcia" or "Nowak, Jan" (a mail header), or
    with no name (a phone number); ``kind``: whether ``person.address`` is an email or a phone."""
    first, _space, last = person.name.replace('"', "").partition(" ")
    if "," in person.name:  # "Nowak, Jan"
        last, _comma, first = person.name.partition(",")
    return do_create_contact(
        kind=Contact.Kind.PERSON,
        first_name=first.strip()[:100],
        last_name=last.strip()[:100],
        emails=[person.address] if kind == ContactPoint.Kind.EMAIL else [],
        phones=[person.address] if kind == ContactPoint.Kind.PHONE and person.address else [],
        emails_from_mail=True,
        acting_user=None,
    )
