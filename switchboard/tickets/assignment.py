"""Who gets a ticket (ROUTE-01): the group's assignment rule, among its available 1st-level agents.

The choice is right under concurrency: the candidates' user rows are locked before their open
tickets are counted, so two tickets arriving at once never both see the same agent under the
limit. On SQLite every write
transaction is IMMEDIATE, which serialises them anyway. A choice costs the same few queries
whatever the number of agents or tickets.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.contacts.selectors import primary_email_of
from switchboard.tickets import search, tasks
from switchboard.tickets.actions import TicketError, do_assign_ticket, queue_email_to_contact
from switchboard.tickets.messaging import Notice, messenger
from switchboard.tickets.models import (
    Activity,
    ActivityKind,
    AgentProfile,
    Group,
    Membership,
    SearchEntry,
    Ticket,
    TicketRead,
)
from switchboard.tickets.permissions import can_manage, ensure_can_work_on

AUTOMATIC_RULES = {Group.AssignmentRule.LIMIT, Group.AssignmentRule.RANDOM, Group.AssignmentRule.LEAST_LOAD}


def choose_owner(
    group: Group, *, members: QuerySet[Membership] | None = None, rule: str = "", at_work_only: bool = True
) -> User | None:
    """The agent the rule (``group``'s own, unless given) gives the next ticket to, among the
    group's available 1st-level ``members`` unless others are given, with the time of this
    assignment recorded for fair ties; None if nobody is available or all are at the limit: the
    ticket waits. The database counts and orders: the same few queries for 5 agents or 500.

    Available means both switches (PHONE-09, agent_states.py): available in the group, and at
    work by their phone state: ready, on a call or in wrap-up (a ticket is answered after the
    call; calls themselves are for the ready). Not ready (a break) and signed out get nothing.
    ``at_work_only`` False leaves the phone state out: supervisors, who often take no calls."""
    rule = rule or group.assignment_rule
    if members is None:
        members = Membership.objects.filter(group=group, level=Membership.Level.FIRST)
    candidates = members.filter(available=True, user__is_active=True)
    if at_work_only:
        candidates = candidates.filter(user__agent_profile__phone_state__in=AgentProfile.TICKET_STATES)
    # Lock the people, not only their place in this group: an agent in three groups is chosen
    # by three groups' tickets, and counts them all. In user id order, so that two choices never
    # wait for each other in a circle.
    locked = User.objects.select_for_update().filter(pk__in=candidates.values("user_id")).order_by("pk")
    if not list(locked.values_list("pk", flat=True)):
        return None
    if rule == Group.AssignmentRule.RANDOM:
        chosen = random.choice(list(candidates.values_list("pk", "user_id")))  # noqa: S311 (fairness, not secrecy)
    else:
        open_tickets = (
            Ticket.objects.filter(owner_id=OuterRef("user_id"), closed_at__isnull=True)
            .order_by()
            .values("owner_id")
            .annotate(count=Count("id"))
            .values("count")
        )
        counted = candidates.annotate(load=Coalesce(Subquery(open_tickets), 0))
        longest_waiting: list[str | OrderBy] = [F("last_assigned_at").asc(nulls_first=True), "user_id"]
        if rule == Group.AssignmentRule.LIMIT:
            order = counted.filter(load__lt=group.assignment_limit).order_by(*longest_waiting)
        else:
            order = counted.order_by("load", *longest_waiting)
        first = order.values_list("pk", "user_id").first()
        if first is None:
            return None
        chosen = first
    Membership.objects.filter(pk=chosen[0]).update(last_assigned_at=timezone.now())
    return User.objects.get(pk=chosen[1])


@transaction.atomic
def do_route_ticket(ticket: Ticket) -> Ticket:
    """Give an unowned open ticket to the agent its group's rule chooses; without one it waits
    (ROUTE-01, ROUTE-03)."""
    group = ticket.group
    if group.assignment_rule not in AUTOMATIC_RULES:
        return ticket
    current = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if current.owner_id is not None or current.closed_at is not None:
        return current
    owner = choose_owner(group)
    return current if owner is None else do_assign_ticket(current, owner=owner, acting_user=None)


def do_assign_waiting_tickets(group: Group) -> int:
    """Assign the group's unowned open tickets, oldest first, while its rule finds agents; each
    in its own transaction. Returns how many were assigned."""
    if group.assignment_rule not in AUTOMATIC_RULES:
        return 0
    assigned = 0
    waiting = Ticket.objects.filter(group=group, owner__isnull=True, closed_at__isnull=True, merged_into__isnull=True)
    for ticket in waiting.select_related("group").order_by("created_at", "number").iterator():
        if do_route_ticket(ticket).owner_id is None:
            break  # nobody is free: the younger tickets wait too
        assigned += 1
    return assigned


@transaction.atomic
def do_reassign_unopened_ticket(ticket: Ticket) -> Ticket:
    """A ticket its owner has not opened in the group's time goes to the next agent by the rule
    (ROUTE-03); it stays where it is when nobody else is available."""
    current = Ticket.objects.select_for_update(of=("self",)).select_related("group").get(pk=ticket.pk)
    group = current.group
    if current.owner_id is None or current.owner_opened_at is not None or current.closed_at is not None:
        return current
    others = Membership.objects.filter(group=group, level=Membership.Level.FIRST).exclude(user_id=current.owner_id)
    owner = choose_owner(group, members=others)
    return current if owner is None else do_assign_ticket(current, owner=owner, acting_user=None)


def do_reassign_unopened_tickets(group: Group, *, now: dt.datetime | None = None) -> int:
    """Every ticket of the group left unopened by its owner for too long; returns how many moved."""
    if group.reassign_unopened_minutes is None or group.assignment_rule not in AUTOMATIC_RULES:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(minutes=group.reassign_unopened_minutes)
    unopened = Ticket.objects.filter(
        group=group, closed_at__isnull=True, owner__isnull=False, owner_opened_at__isnull=True, assigned_at__lt=cutoff
    )
    moved = 0
    for ticket in unopened.order_by("assigned_at").iterator():
        previous = ticket.owner_id
        moved += do_reassign_unopened_ticket(ticket).owner_id != previous
    return moved


@transaction.atomic
def do_route_contact_message(ticket: Ticket) -> Ticket:
    """A contact wrote on ``ticket``: a new or waiting ticket is routed, and one whose owner is
    unavailable in its group is routed anew (ROUTE-02)."""
    if ticket.group.assignment_rule not in AUTOMATIC_RULES:
        return ticket
    if ticket.owner_id is not None:
        owner_available = Membership.objects.filter(
            group_id=ticket.group_id, user_id=ticket.owner_id, available=True
        ).exists()
        if owner_available:
            return ticket
        ticket = do_assign_ticket(ticket, owner=None, acting_user=None)
    return do_route_ticket(ticket)


@transaction.atomic
def do_set_availability(membership: Membership, *, available: bool, acting_user: User) -> Membership:
    """An agent is available in a group, or not (ROUTE-02); a manager may set it for them.
    Becoming available takes waiting tickets at once."""
    if acting_user.pk != membership.user_id and not can_manage(acting_user, membership.group):
        raise PermissionDenied(_("Only the agent or the group's managers change the agent's availability."))
    Membership.objects.filter(pk=membership.pk).update(available=available)
    membership.available = available
    if available:
        group_id = membership.group_id
        transaction.on_commit(lambda: tasks.assign_waiting_tickets(group_id))
    return membership


@transaction.atomic
def do_claim_ticket(ticket: Ticket, *, acting_user: User) -> Ticket:
    """ "Claim": an agent takes an unowned ticket (ROUTE-05); refused when someone else took it
    a moment before."""
    current = Ticket.objects.select_for_update(of=("self",)).select_related("owner", "group").get(pk=ticket.pk)
    ensure_can_work_on(acting_user, current)
    if current.owner_id == acting_user.pk:
        return current
    if current.owner is not None:
        name = current.owner.get_full_name() or current.owner.get_username()
        raise TicketError(_("%(name)s took this ticket a moment ago.") % {"name": name})
    if not current.is_open:
        raise TicketError(_("Reopen the ticket to claim it."))
    return do_assign_ticket(current, owner=acting_user, acting_user=acting_user)


@transaction.atomic
def do_open_ticket(ticket: Ticket, *, acting_user: User) -> Ticket:
    """An agent opened the ticket's page (the page says so with a POST once shown, so that link
    previews and prefetching change nothing): where the group says so (CORE-14), an unowned
    open ticket becomes theirs; its owner opening it is noted (ROUTE-03: it will not be passed
    on as unopened); and it is read: no longer marked unread in their lists until something
    changes on it. Members of the ticket's group only."""
    current = Ticket.objects.select_for_update(of=("self",)).select_related("owner", "group").get(pk=ticket.pk)
    ensure_can_work_on(acting_user, current)
    if current.owner_id is None and current.is_open and current.group.owner_on_open:
        current = do_assign_ticket(current, owner=acting_user, acting_user=acting_user)
    elif current.owner_id == acting_user.pk and current.owner_opened_at is None:
        current.owner_opened_at = timezone.now()
        Ticket.objects.filter(pk=current.pk).update(owner_opened_at=current.owner_opened_at)
    TicketRead.objects.update_or_create(user=acting_user, ticket=current, defaults={"read_at": timezone.now()})
    return current


class EscalateTo:
    """Where an escalation goes (ROUTE-04, ROUTE-05)."""

    SECOND_LEVEL = "level2"
    SUPERVISOR = "supervisor"


@transaction.atomic
def do_escalate_ticket(  # noqa: PLR0913
    ticket: Ticket,
    *,
    to: str | User,
    note: str,
    acting_user: User,
    notify_contact: bool = False,
) -> Ticket:
    """Pass a ticket on with a private note for the next agent (ROUTE-04, ROUTE-05): to the
    group's 2nd level (chosen by the group's rule among them; least load where the group assigns
    nobody), to its supervisors (the managers with the fewest open tickets), or to a named
    member. The note is shown to agents only, highlighted; the contact may get the group's
    escalation notice. The status is left as it is."""
    current = (
        Ticket.objects.select_for_update(of=("self",)).select_related("owner", "group", "contact").get(pk=ticket.pk)
    )
    ensure_can_work_on(acting_user, current)
    if not current.is_open:
        raise TicketError(_("Reopen the ticket to pass it on."))
    note = note.strip()
    if not note:
        raise TicketError(_("Write a note for the next agent: why, and what has been done."))
    group = current.group
    members = Membership.objects.filter(group=group).exclude(user_id=acting_user.pk)
    owner: User | None
    if to == EscalateTo.SECOND_LEVEL:
        rule = group.assignment_rule if group.assignment_rule in AUTOMATIC_RULES else Group.AssignmentRule.LEAST_LOAD
        owner = choose_owner(group, members=members.filter(level=Membership.Level.SECOND), rule=rule)
        if owner is None:
            raise TicketError(_("No 2nd-level agent of this group is available."))
    elif to == EscalateTo.SUPERVISOR:
        managers = members.filter(role__in=[Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR])
        owner = choose_owner(group, members=managers, rule=Group.AssignmentRule.LEAST_LOAD, at_work_only=False)
        if owner is None:
            raise TicketError(_("No supervisor of this group is available."))
    elif isinstance(to, User) and members.filter(user=to).exists():
        owner = to
    else:
        raise TicketError(_("Choose a member of the group to pass the ticket to."))
    escalation = Activity.objects.create(ticket=current, kind=ActivityKind.ESCALATION, actor=acting_user, body=note)
    search.add_text(ticket_id=current.pk, source=SearchEntry.Source.ACTIVITY, source_id=escalation.pk, text=note)
    current = do_assign_ticket(current, owner=owner, acting_user=acting_user)
    if notify_contact and (address := primary_email_of(current.contact)):
        notice = messenger().compose_notice(current, Notice.ESCALATION, to_address=address, agent=acting_user)
        queue_email_to_contact(current, notice, acting_user, searchable=notice.subject)
    return current
