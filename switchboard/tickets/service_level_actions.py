"""Service-level writes (ROUTE-07): a group's calendar and targets, set by its managers, and the
breaches, acted on once each by the group's rule (tasks.apply_service_level_breaches)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from switchboard.tickets import assignment, service_levels
from switchboard.tickets.actions import TicketError, do_assign_ticket
from switchboard.tickets.messaging import agent_language, messenger
from switchboard.tickets.models import ActivityKind, Group, Membership, ServiceLevel, Ticket, TicketClock
from switchboard.tickets.permissions import can_manage
from switchboard.tickets.realtime import publish_ticket_changed_on_commit
from switchboard.tickets.ticket_changes import record_activity

Rule = ServiceLevel.BreachRule


@dataclass(frozen=True)
class ServiceLevelValues:
    time_zone: str
    week: dict[str, list[list[str]]]
    holidays: list[str]
    first_response_minutes: int | None
    resolution_minutes: int | None
    near_percent: int
    breach_rule: str


@transaction.atomic
def do_set_service_level(group: Group, *, values: ServiceLevelValues, acting_user: User) -> ServiceLevel:
    """Save the group's calendar and targets; its open tickets' due moments follow at once (the
    time they have used so far stays)."""
    if not can_manage(acting_user, group):
        raise TicketError(_("Only the group's managers set its service levels."))
    level, _created = ServiceLevel.objects.update_or_create(group=group, defaults=vars(values))
    now = timezone.now()
    for ticket in Ticket.objects.filter(group=group, closed_at__isnull=True).select_related("status"):
        service_levels.sync_clock(ticket, now=now)
    return level


def do_apply_service_level_breaches(*, now: dt.datetime | None = None) -> int:
    """Every target newly passed (first response, resolution) gets its group's rule, once: the
    clock's breach moment is claimed with a conditional update. Returns how many."""
    now = now or timezone.now()
    done = 0
    running = TicketClock.objects.filter(running_since__isnull=False, ticket__closed_at__isnull=True)
    first = running.filter(
        first_responded_at__isnull=True, first_response_due_at__lte=now, first_response_breached_at__isnull=True
    )
    for clock_id in list(first.values_list("pk", flat=True)):
        done += _apply_breach(clock_id, field="first_response_breached_at", now=now)
    resolution = running.filter(resolution_due_at__lte=now, resolution_breached_at__isnull=True)
    for clock_id in list(resolution.values_list("pk", flat=True)):
        done += _apply_breach(clock_id, field="resolution_breached_at", now=now)
    return done


@transaction.atomic
def _apply_breach(clock_id: int, *, field: str, now: dt.datetime) -> int:
    if not TicketClock.objects.filter(pk=clock_id, **{f"{field}__isnull": True}).update(**{field: now}):
        return 0  # another run took it
    clock = TicketClock.objects.select_related("ticket__group__service_level", "ticket__owner").get(pk=clock_id)
    ticket = clock.ticket
    level = ticket.group.service_level
    first_response = field == "first_response_breached_at"
    due = clock.first_response_due_at if first_response else clock.resolution_due_at
    with translation.override(ticket.group.language or settings.LANGUAGE_CODE):
        what = _("first response") if first_response else _("resolution")
        note = _("Service level missed: the %(what)s was due %(due)s.") % {
            "what": what,
            "due": timezone.localtime(due, level.calendar_zone()).strftime("%Y-%m-%d %H:%M") if due else "",
        }
        outcome = _escalate(ticket, level, now=now)
    record_activity(ticket, ActivityKind.ESCALATION, None, body=f"{note} {outcome}")
    publish_ticket_changed_on_commit(ticket, actor_id=None)
    return 1


def _escalate(ticket: Ticket, level: ServiceLevel, *, now: dt.datetime) -> str:
    """The group's rule, applied; what was done, in a sentence."""
    if level.breach_rule == Rule.SECOND_LEVEL:
        group = ticket.group
        rule = (
            group.assignment_rule
            if group.assignment_rule in assignment.AUTOMATIC_RULES
            else Group.AssignmentRule.LEAST_LOAD
        )
        second = Membership.objects.filter(group=group, level=Membership.Level.SECOND)
        if ticket.owner_id is not None:
            second = second.exclude(user_id=ticket.owner_id)
        owner = assignment.choose_owner(group, members=second, rule=rule)
        if owner is not None:
            do_assign_ticket(ticket, owner=owner, acting_user=None)
            return _("Passed to %(name)s (2nd level).") % {"name": owner.get_full_name() or owner.username}
        told = _tell(ticket, _managers(ticket))
        return _("No 2nd-level agent was available; told the managers: %(names)s.") % {"names": told or "—"}
    if level.breach_rule == Rule.NOTIFY_OWNER and ticket.owner is not None:
        return _("Told the owner: %(names)s.") % {"names": _tell(ticket, [ticket.owner]) or "—"}
    return _("Told the managers: %(names)s.") % {"names": _tell(ticket, _managers(ticket)) or "—"}


def _managers(ticket: Ticket) -> list[User]:
    roles = [Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR]
    return [
        m.user
        for m in Membership.objects.filter(group=ticket.group, role__in=roles, user__is_active=True)
        .select_related("user__agent_profile")
        .order_by("user__username")
    ]


def _tell(ticket: Ticket, people: list[User]) -> str:
    """Email each of ``people`` (in their language) that the ticket missed its service level."""
    names = []
    for person in people:
        names.append(person.get_full_name() or person.username)
        if not person.email:
            continue
        with translation.override(agent_language(person)):
            subject = _("Ticket #%(number)s missed its service level") % {"number": ticket.number}
            text = _("Ticket #%(number)s (%(title)s) in %(group)s is past its service-level target.") % {
                "number": ticket.number,
                "title": ticket.title,
                "group": ticket.group.name,
            }
        link = settings.SITE_URL + reverse("ticket", args=[ticket.number])
        messenger().email_agent(person, group=ticket.group, subject=subject, text=f"{text}\n\n{link}")
    return ", ".join(names)
