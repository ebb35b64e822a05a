"""Reads of the phone channel: who is calling, whether they may leave a voicemail (PHONE-02),
and what became of a call (the group chosen, a voicemail left)."""

from __future__ import annotations

from django.db.models import Q

from switchboard.contacts.models import Contact, ContactPoint
from switchboard.intake.models import RawMessage
from switchboard.phone.voice import MENU_TIMES
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


def find_chosen_group(call_sid: str) -> Group | None:
    """The group the caller chose in the menu; None when they chose none (the number's default)."""
    chosen = (
        RawMessage.objects.filter(
            channel="voice", source_key__in=[f"menu:{n}:{call_sid}" for n in range(1, MENU_TIMES + 1)]
        )
        .exclude(group=None)
        .select_related("group")
        .first()
    )
    return chosen.group if chosen is not None else None


def left_voicemail(call_sid: str) -> bool:
    """Whether the call ended in a voicemail, which is then the call's entry on the ticket."""
    return RawMessage.objects.filter(channel="voice", source_key=f"recorded:{call_sid}").exists()
