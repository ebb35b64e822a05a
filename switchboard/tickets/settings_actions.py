"""Settings: an agent's personal settings (CORE-12) and how a group works (its managers')."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from switchboard.audit.recorder import recording_many
from switchboard.tickets.actions import TicketError
from switchboard.tickets.models import (
    AgentProfile,
    Group,
    Membership,
)
from switchboard.tickets.permissions import can_manage


@dataclass(frozen=True)
class AgentSettings:
    """Personal settings (CORE-12): how the agent appears and when they hear of new tickets."""

    initials: str
    signature: str
    language: str
    time_zone: str
    notify_weekdays: dict[int, list[int]]  # group id → weekdays 0 (Monday) … 6 (Sunday)
    phone: str = ""  # E.164: the phone click-to-call rings (PHONE-05)


@transaction.atomic
def do_update_agent_settings(agent: User, *, settings: AgentSettings) -> AgentProfile:
    profile, _created = AgentProfile.objects.get_or_create(user=agent, defaults={"initials": settings.initials})
    profile.initials = settings.initials.strip().upper()
    profile.signature = settings.signature.strip()
    profile.language = settings.language
    profile.time_zone = settings.time_zone
    profile.phone = settings.phone
    profile.save()
    for membership in Membership.objects.filter(user=agent, group_id__in=settings.notify_weekdays):
        membership.notify_weekdays = sorted(set(settings.notify_weekdays[membership.group_id]))
        membership.save(update_fields=["notify_weekdays"])
    return profile


# What a group's managers set on its settings page; the name, address and statuses stay with
# the administrators.
GROUP_SETTINGS = [
    "language",
    "signature",
    "reply_to_closed",
    "autoresponder",
    "resolution_notice",
    "plus_addressing",
    "assignment_rule",
    "assignment_limit",
    "reassign_unopened_minutes",
    "contact_titles",
    "owner_on_open",
    "own_tickets_only",
    "timer_starts_on_open",
    "purge_photos_on_close",
    "retention_days",
    "callback_status_private",
    "callback_status_public",
    "website",
    "shift_hours",
    "wrap_up_seconds",
    "queue_report_minutes",
]


@transaction.atomic
def do_update_group_settings(
    group: Group, *, values: dict[str, object], workflow_people: list[User], acting_user: User
) -> Group:
    """A manager changes how the group works: its mail, its assignment rule (ROUTE-01) and its
    tickets. Waiting tickets are assigned at once when the new rule gives them out."""
    if not can_manage(acting_user, group):
        raise PermissionDenied(_("Only the group's managers change its settings."))
    members = set(Membership.objects.filter(group=group).values_list("user_id", flat=True))
    if any(person.pk not in members for person in workflow_people):
        raise TicketError(_("The workflow's people must be members of the group."))
    for field in ("callback_status_private", "callback_status_public"):
        status = values[field]
        if status is not None and getattr(status, "group_id", None) != group.pk:
            raise TicketError(_("That status belongs to another group."))
    for field in GROUP_SETTINGS:
        setattr(group, field, values[field])
    group.signature = group.signature.strip()
    group.save()
    with recording_many(group, "workflow_people"):
        group.workflow_people.set(workflow_people)
    group_id = group.pk
    transaction.on_commit(lambda: _assign_waiting_tickets(group_id))
    return group


def _assign_waiting_tickets(group_id: int) -> None:
    from switchboard.tickets import tasks  # the jobs import these actions

    tasks.assign_waiting_tickets(group_id)
