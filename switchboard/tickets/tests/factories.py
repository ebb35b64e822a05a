"""Test data made the way the product makes it: through the actions."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.tickets.actions import do_create_ticket
from switchboard.tickets.models import AgentProfile, Group, Membership, Ticket, TicketSource

_serial = itertools.count(1)


def make_agent(
    username: str,
    initials: str,
    *,
    groups: list[Group],
    role: str = Membership.Role.AGENT,
    superuser: bool = False,
) -> AbstractUser:
    model = get_user_model()
    if superuser:
        user = model.objects.create_superuser(username, f"{username}@example.test", "pw-" + username)
    else:
        user = model.objects.create_user(username, f"{username}@example.test", "pw-" + username)
    user.first_name = username.capitalize()
    user.save()
    # At work (PHONE-09): ready, so that routing reaches them as it did before phone states.
    AgentProfile.objects.create(
        user=user, initials=initials, phone_state=AgentProfile.PhoneState.READY, phone_state_since=timezone.now()
    )
    for group in groups:
        Membership.objects.create(user=user, group=group, role=role)
    return user


def make_contact(first_name: str = "Maria", last_name: str = "Garcia", *, email: str = "") -> Contact:
    n = next(_serial)
    return do_create_contact(
        kind=Contact.Kind.PERSON,
        first_name=first_name,
        last_name=last_name,
        emails=[email or f"{first_name.lower()}.{n}@example.org"],
        acting_user=None,
    )


def make_ticket(group: Group, *, contact: Contact | None = None, source: str = TicketSource.EMAIL) -> Ticket:
    return do_create_ticket(group, contact=contact or make_contact(), source=TicketSource(source), acting_user=None)
