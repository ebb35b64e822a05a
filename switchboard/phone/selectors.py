"""Reads of the phone channel: who is calling, and whether they may leave a voicemail (PHONE-02)."""

from __future__ import annotations

from django.db.models import Q

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.tickets.models import Group, StatusKind, Ticket


def find_caller(number: str) -> Contact | None:
    """The contact whose E.164 phone number this is."""
    point = ContactPoint.objects.select_related("contact").filter(kind=ContactPoint.Kind.PHONE, value=number).first()
    return point.contact if point else None


def has_appointment(contact: Contact | None, group: Group) -> bool:
    """Marked as having one, or an open ticket in the group that is scheduled or has a due time."""
    if contact is None:
        return False
    if contact.has_appointment:
        return True
    return Ticket.objects.filter(
        Q(status__kind=StatusKind.SCHEDULED) | Q(due_at__isnull=False),
        contact=contact,
        group=group,
        closed_at__isnull=True,
    ).exists()


def may_leave_voicemail(group: Group, caller: str) -> bool:
    if group.voicemail == Group.Voicemail.ALLOWED:
        return True
    if group.voicemail == Group.Voicemail.NOT_ALLOWED:
        return False
    return has_appointment(find_caller(caller), group)
