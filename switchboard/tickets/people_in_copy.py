"""Actions on a ticket's people in copy (MAIL-12) that mail trust asks an agent to decide: the
people in copy of a message from someone not on the ticket are only offered ("Add to copy" on
that message), never added by the message itself."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.selectors import find_contact_by_point
from switchboard.tickets.models import Activity, ActivityKind, Ticket
from switchboard.tickets.permissions import ensure_can_work_on
from switchboard.tickets.realtime import publish_ticket_changed_on_commit
from switchboard.tickets.selectors import list_addresses_on_ticket


@transaction.atomic
def do_add_offered_people_in_copy(message: Activity, *, acting_user: User) -> list[str]:
    """Add the people a message offered to the ticket's people in copy, with a history entry;
    returns the addresses added (those already on the ticket are left as they are)."""
    ticket = Ticket.objects.select_for_update().get(pk=message.ticket_id)
    ensure_can_work_on(acting_user, ticket)
    on_ticket = list_addresses_on_ticket(ticket)
    added = []
    for address in message.offered_cc_addresses:
        if address in on_ticket:
            continue
        contact = find_contact_by_point(ContactPoint.Kind.EMAIL, address) or do_create_contact(
            kind=Contact.Kind.PERSON, emails=[address], acting_user=acting_user
        )
        ticket.cc_contacts.add(contact)
        on_ticket.add(address)
        added.append(address)
    if added:
        ticket.version += 1
        ticket.save(update_fields=["version", "updated_at"])
        change = {"field": _("in copy"), "old": "", "new": ", ".join(added)}
        Activity.objects.create(ticket=ticket, kind=ActivityKind.CHANGED, actor=acting_user, changes=[change])
        publish_ticket_changed_on_commit(ticket, actor_id=acting_user.pk)
    return added
