"""Changing a ticket's contact (CC-01, seed 001's case card): the agent picks another contact, or
creates one in place, when a ticket came in under the wrong person or none."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from switchboard.contacts.models import Contact
from switchboard.tickets import search
from switchboard.tickets.actions import OpenTicketExistsError, TicketError, default_title, lock_ticket
from switchboard.tickets.models import SearchEntry, Ticket, new_portal_key
from switchboard.tickets.ticket_changes import apply_changes, save_changes


class ContactHasOpenTicketError(OpenTicketExistsError):
    """The contact has an open ticket in the group already (CORE-03): the message names it."""

    def __init__(self, contact: Contact, existing: Ticket) -> None:
        super().__init__(existing)
        self.args = (
            _(
                "%(contact)s already has an open ticket in %(group)s: #%(number)s “%(title)s”. A contact has one "
                "open ticket per group: work on that one, or close it first."
            )
            % {
                "contact": contact.display_name or _("This contact"),
                "group": existing.group.name,
                "number": existing.number,
                "title": existing.title,
            },
        )


@transaction.atomic
def do_change_ticket_contact(
    ticket: Ticket, contact: Contact, *, acting_user: User | None, expected_version: int | None = None
) -> Ticket:
    """Make ``contact`` the ticket's contact, recorded in its history. Only an agent of the
    ticket's group may (PermissionDenied); refused with ContactHasOpenTicketError when the contact
    has another open ticket in the group, and with TicketError on a closed ticket. A title that
    was the old contact's default ("Maria Garcia (Volunteers)", or "New ticket (Volunteers)" for
    none) becomes the new one's; the new
    contact leaves the people in copy, if there; the ticket is found by the new contact's name."""
    ticket = lock_ticket(ticket, acting_user, expected_version=expected_version)
    if ticket.contact_id == contact.pk:
        return ticket
    if not ticket.is_open:
        raise TicketError(_("Reopen the ticket before changing its contact."))
    existing = (
        Ticket.objects.filter(contact=contact, group_id=ticket.group_id, closed_at__isnull=True)
        .select_related("group")
        .first()
    )
    if existing is not None:
        raise ContactHasOpenTicketError(contact, existing)
    old = ticket.contact
    ticket.portal_key = new_portal_key()  # SELF-03: the links in mail to the earlier contact stop working
    changes = apply_changes(ticket, contact=contact)
    if ticket.title == default_title(old, ticket.group):
        changes += apply_changes(ticket, title=default_title(contact, ticket.group))
    try:
        with transaction.atomic():
            ticket = save_changes(ticket, changes, acting_user)
    except IntegrityError:
        # Another transaction gave the contact an open ticket in the group a moment ago.
        raise OpenTicketExistsError(None) from None
    ticket.cc_contacts.remove(contact)
    SearchEntry.objects.filter(ticket=ticket, source=SearchEntry.Source.CONTACT).delete()
    search.add_text(
        ticket_id=ticket.pk, source=SearchEntry.Source.CONTACT, source_id=contact.pk, text=contact.display_name
    )
    return ticket
