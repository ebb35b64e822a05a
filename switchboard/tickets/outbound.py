"""Outbound campaigns (CC-06): "create tickets" for contacts selected in a contact search or list.

Every ticket is made in bulk, in one transaction: a fixed number of queries whatever the number
of contacts (the inserts are batched by the database's limit on parameters). Each ticket is
what ``do_create_ticket`` makes one by one: source "outbound campaign", the group's initial
status, the "Contact (Group)" title unless one is given, its "created" history entry and its
search entries. A contact who already has an open ticket in the group (CORE-03), or has no
phone and no email to be reached at, is skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.tickets import webhook_events
from switchboard.tickets.actions import TicketError, _initial_status, new_ticket_title
from switchboard.tickets.models import Activity, ActivityKind, Group, SearchEntry, Ticket, TicketSource
from switchboard.tickets.numbers import take_ticket_numbers
from switchboard.tickets.permissions import ensure_can_work_in
from switchboard.tickets.realtime import one_update_per_ticket, publish_ticket_changed_on_commit
from switchboard.tickets.search import MAX_INDEXED_CHARS
from switchboard.tickets.ticket_changes import id_of

# How often a bulk insert that met a ticket opened at the same moment by someone else is tried
# again (the contacts concerned are then skipped as already having one).
ATTEMPTS = 3


@dataclass(frozen=True)
class Skipped:
    contact: Contact
    reason: str
    ticket: Ticket | None = None  # the open ticket that made it skip, if that was the reason


@dataclass
class OutboundSummary:
    """What "create tickets" did, for the summary page."""

    group: Group
    created: list[Ticket] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@transaction.atomic
def do_create_outbound_tickets(
    group: Group, contacts: Iterable[Contact], *, title: str = "", acting_user: User | None
) -> OutboundSummary:
    """Open a ticket in ``group`` for each of ``contacts`` (CC-06), skipping, with the reason,
    those who already have an open ticket there or cannot be reached. ``title``: every ticket's
    title; empty: "Contact (Group)" each."""
    ensure_can_work_in(acting_user, group)
    ids = list(dict.fromkeys(contact.pk for contact in contacts))  # once each, in the order given
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():  # a savepoint: a clash undoes only this attempt
                return _create(group, ids, title=title, acting_user=acting_user)
        except IntegrityError:  # someone opened a ticket for one of them meanwhile: it is seen now
            continue
    raise TicketError(_("Tickets were being opened for these contacts at the same time; try again."))


def _create(group: Group, ids: list[int], *, title: str, acting_user: User | None) -> OutboundSummary:
    summary = OutboundSummary(group=group)
    status = _initial_status(group)
    reachable = ContactPoint.objects.filter(contact_id=OuterRef("pk"))
    found = {
        contact.pk: contact
        for contact in Contact.objects.filter(pk__in=ids).annotate(reachable=Exists(reachable)).order_by()
    }
    open_tickets = {
        ticket.contact_id: ticket
        for ticket in Ticket.objects.filter(group=group, contact_id__in=ids, closed_at__isnull=True).only(
            "id", "number", "contact_id"
        )
    }
    to_create: list[Contact] = []
    for contact_id in ids:
        contact = found.get(contact_id)
        if contact is None:
            continue  # removed since the list was shown: nothing to say about it
        if (existing := open_tickets.get(contact_id)) is not None:
            reason = _("already has an open ticket #%(number)s") % {"number": existing.number}
            summary.skipped.append(Skipped(contact, reason, existing))
        elif not contact.reachable:  # the annotation above
            summary.skipped.append(Skipped(contact, _("no phone and no email to reach them at")))
        else:
            to_create.append(contact)
    numbers = take_ticket_numbers(len(to_create))
    tickets = Ticket.objects.bulk_create(
        Ticket(
            number=number,
            group=group,
            contact=contact,
            title=new_ticket_title(group, contact=contact, title=title, subject=""),
            status=status,
            source=TicketSource.OUTBOUND,
        )
        for number, contact in zip(numbers, to_create, strict=True)
    )
    source_label = str(TicketSource.OUTBOUND.label)
    Activity.objects.bulk_create(
        Activity(ticket=ticket, kind=ActivityKind.CREATED, actor=acting_user, body=source_label, changes=[])
        for ticket in tickets
    )
    SearchEntry.objects.bulk_create(
        entry
        for ticket, contact in zip(tickets, to_create, strict=True)
        for entry in (
            SearchEntry(
                ticket=ticket,
                source=SearchEntry.Source.TITLE,
                source_id=ticket.pk,
                text=ticket.title[:MAX_INDEXED_CHARS],
            ),
            SearchEntry(
                ticket=ticket, source=SearchEntry.Source.CONTACT, source_id=contact.pk, text=contact.display_name
            ),
        )
    )
    with one_update_per_ticket():
        for ticket in tickets:
            publish_ticket_changed_on_commit(ticket, actor_id=id_of(acting_user))
    webhook_events.tickets_created(tickets)  # API-02
    summary.created = tickets
    if tickets:
        group_id = group.pk
        transaction.on_commit(lambda: _assign_waiting_tickets(group_id))
    return summary


def _assign_waiting_tickets(group_id: int) -> None:
    """The new tickets are given out by the group's rule (ROUTE-01), like any new ticket."""
    from switchboard.tickets import tasks  # the jobs import the actions

    tasks.assign_waiting_tickets(group_id)
