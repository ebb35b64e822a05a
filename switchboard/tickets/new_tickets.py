"""A ticket an agent opens by hand ("Create new ticket"): for a contact found by email or phone,
or a new one, routed and announced like any other new ticket."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from switchboard.contacts.actions import do_create_contact, do_set_contact_language
from switchboard.contacts.models import Contact, ContactPoint
from switchboard.contacts.selectors import find_contact_by_point
from switchboard.tickets.actions import do_add_note, do_create_ticket
from switchboard.tickets.assignment import do_route_ticket
from switchboard.tickets.messaging import messenger
from switchboard.tickets.models import Category, Group, Ticket, TicketSource


@dataclass(frozen=True)
class NewTicket:
    """A ticket an agent opens by hand: for the contact with this email or phone, or a new one."""

    first_name: str
    last_name: str
    email: str
    phone: str
    title: str
    source: TicketSource
    note: str
    language: str = ""  # the contact's, for the mail they get; empty: as it is (a new contact: the group's)
    category: Category | None = None  # ROUTE-06: its agents hear of the ticket


@transaction.atomic
def do_open_ticket_for_contact(group: Group, *, new: NewTicket, acting_user: User) -> Ticket:
    """ "Create new ticket": finds the contact by email, then phone, or creates them; refuses with
    OpenTicketExistsError (naming it) when they already have an open ticket in the group. The
    ticket is routed by the group's rule (ROUTE-01) like any other new ticket."""
    contact = (new.email and find_contact_by_point(ContactPoint.Kind.EMAIL, new.email.lower())) or (
        new.phone and find_contact_by_point(ContactPoint.Kind.PHONE, new.phone)
    )
    if not contact:
        contact = do_create_contact(
            kind=Contact.Kind.PERSON,
            first_name=new.first_name,
            last_name=new.last_name,
            emails=[new.email] if new.email else [],
            phones=[new.phone] if new.phone else [],
            acting_user=acting_user,
        )
    if new.language and new.language != contact.language:
        do_set_contact_language(contact, language=new.language, acting_user=acting_user)
    ticket = do_create_ticket(
        group, contact=contact, source=new.source, title=new.title, category=new.category, acting_user=acting_user
    )
    if new.note.strip():
        do_add_note(ticket, body=new.note, acting_user=acting_user)
    ticket = do_route_ticket(ticket)
    messenger().notify_new_ticket(ticket, excerpt=new.note, acting_user=acting_user)
    return ticket
