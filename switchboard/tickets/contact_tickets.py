"""A contact's tickets as an agent may see them, for the contact's page (CC-01)."""

from __future__ import annotations

from django.db.models import F, QuerySet

from switchboard.contacts.models import Contact
from switchboard.tickets.models import Ticket
from switchboard.tickets.permissions import User, visible_groups


def list_contact_tickets(contact: Contact, *, user: User) -> QuerySet[Ticket]:
    """The contact's tickets in the groups ``user`` works in (all groups for an administrator),
    open ones first, then the newest; each with its group and status, in one query however many
    there are. Tickets of other groups are neither listed nor counted."""
    return (
        Ticket.objects.filter(contact=contact, group__in=visible_groups(user))
        .select_related("group", "status")
        .order_by(F("closed_at").desc(nulls_first=True), "-created_at", "-pk")
    )
