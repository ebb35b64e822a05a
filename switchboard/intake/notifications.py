"""Emails that tell agents about tickets (MAIL-09), queued in the outbox of the caller's
transaction: a new ticket reaches the group's members who chose today's weekday (in their own
time zone), under the workflow rule the workflow's people, and the agents of its category
(ROUTE-06), who also hear when an agent puts a ticket in the category later; a contact's message
reaches the owner; an assignment reaches the new owner. Only the group's active members are told,
each once, and nobody of what they did themselves."""

from __future__ import annotations

import datetime as dt
from functools import partial
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.intake.actions import do_queue_outbound
from switchboard.intake.outbound import compose_agent_notification
from switchboard.intake.trust import reply_address_for
from switchboard.tickets import batch_writes
from switchboard.tickets.models import AgentProfile, Group, Membership, Ticket


def _today_for(user: User, now: dt.datetime) -> int:
    try:
        zone = ZoneInfo(user.agent_profile.time_zone)
    except (AgentProfile.DoesNotExist, KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).weekday()


def notify_new_ticket(ticket: Ticket, *, excerpt: str = "", acting_user: User | None = None) -> int:
    """Tell the group's members who want new tickets today, under the workflow rule its
    workflow's people, and its category's agents; returns how many were told."""
    now = timezone.now()
    members = batch_writes.read_once(("members told of new tickets", ticket.group_id), partial(_told, ticket.group_id))
    recipients = [
        membership.user for membership in members if _today_for(membership.user, now) in membership.notify_weekdays
    ]
    if ticket.group.assignment_rule == Group.AssignmentRule.WORKFLOW:
        recipients += list(ticket.group.workflow_people.filter(is_active=True).exclude(email=""))
    recipients += _category_agents(ticket)
    if ticket.category_id is not None:
        headline = _("New ticket in %(group)s (%(category)s): %(title)s") % {
            "group": ticket.group.name,
            "category": ticket.category,
            "title": ticket.title,
        }
    else:
        headline = _("New ticket in %(group)s: %(title)s") % {"group": ticket.group.name, "title": ticket.title}
    return _tell(ticket, recipients, headline=headline, excerpt=excerpt, acting_user=acting_user)


def _told(group_id: int) -> list[Membership]:
    """The group's active members with an address who want new tickets on some weekday."""
    members = Membership.objects.filter(group_id=group_id, user__is_active=True).exclude(notify_weekdays=[])
    return list(members.exclude(user__email="").select_related("user__agent_profile"))


def notify_category_agents(ticket: Ticket, *, acting_user: User | None) -> int:
    """An agent put an open ticket in a category: its agents hear of it; returns how many."""
    if not ticket.is_open:
        return 0
    headline = _("Now in %(category)s (%(group)s): %(title)s") % {
        "category": ticket.category,
        "group": ticket.group.name,
        "title": ticket.title,
    }
    return _tell(ticket, _category_agents(ticket), headline=headline, excerpt="", acting_user=acting_user)


def _category_agents(ticket: Ticket) -> list[User]:
    """The agents of the ticket's category who are still active members of its group."""
    if ticket.category_id is None:
        return []
    members = Membership.objects.filter(group_id=ticket.group_id).values("user_id")
    agents = User.objects.filter(ticket_categories=ticket.category_id, is_active=True, pk__in=members)
    return list(agents.exclude(email="").order_by("pk"))


def _tell(ticket: Ticket, recipients: list[User], *, headline: str, excerpt: str, acting_user: User | None) -> int:
    told = 0
    for user in dict.fromkeys(recipients):
        if user == acting_user:
            continue
        do_queue_outbound(
            compose_agent_notification(
                ticket, to=user, headline=headline, excerpt=excerpt, reply_to=reply_address_for(user, ticket)
            ),
            ticket=ticket,
            activity=None,
        )
        told += 1
    return told


def notify_owner_of_contact_message(ticket: Ticket, *, excerpt: str) -> bool:
    """The owner always hears of what the contact wrote."""
    owner = ticket.owner
    if owner is None or not owner.email or not owner.is_active:
        return False
    name = ticket.contact.display_name if ticket.contact else _("The contact")
    headline = _("%(name)s wrote: %(title)s") % {"name": name, "title": ticket.title}
    do_queue_outbound(
        compose_agent_notification(
            ticket, to=owner, headline=headline, excerpt=excerpt, reply_to=reply_address_for(owner, ticket)
        ),
        ticket=ticket,
        activity=None,
    )
    return True


def notify_new_owner(ticket: Ticket, *, acting_user: User | None) -> bool:
    """The new owner hears that the ticket is theirs, unless they took it themselves."""
    owner = ticket.owner
    if owner is None or owner == acting_user or not owner.email or not owner.is_active:
        return False
    if acting_user is None:
        headline = _("Assigned to you: %(title)s") % {"title": ticket.title}
    else:
        name = acting_user.get_full_name() or acting_user.get_username()
        headline = _("%(name)s assigned you: %(title)s") % {"name": name, "title": ticket.title}
    outbound = compose_agent_notification(
        ticket, to=owner, headline=headline, reply_to=reply_address_for(owner, ticket)
    )
    do_queue_outbound(outbound, ticket=ticket, activity=None)
    return True
