"""A group's members, managed by its managers in the UI (CORE-01, ADMIN-01): add an agent, set
their role and level, remove them.

What a manager may not do: make anyone an administrator (only an administrator may: a
superuser or the group's administrator), change an administrator, or leave the group without
a manager. A removed member's open tickets in the group go back to its waiting tickets, each
recorded, and are given out again by the group's rule."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from switchboard.tickets import tasks
from switchboard.tickets.actions import TicketError, do_assign_ticket
from switchboard.tickets.models import Group, Membership, Ticket
from switchboard.tickets.permissions import can_manage

Role = Membership.Role
MANAGING_ROLES = (Role.MANAGER, Role.ADMINISTRATOR)

# What each role means, in the words the members page shows.
ROLE_MEANINGS: dict[str, Promise] = {
    Role.AGENT: gettext_lazy("Works the group's tickets and calls, at the office."),
    Role.HOME_AGENT: gettext_lazy(
        "Works the group's tickets from home: may own tickets, sees no reports and files no queue reports."
    ),
    Role.MANAGER: gettext_lazy(
        "Runs the team: its members, settings, statuses, form, categories and canned responses, hours and reports."
    ),
    Role.ADMINISTRATOR: gettext_lazy("Everything a manager does, and may make others administrators of the group."),
}


def _is_administrator(user: User, group: Group) -> bool:
    return user.is_superuser or Membership.objects.filter(user=user, group=group, role=Role.ADMINISTRATOR).exists()


def _ensure_manages(acting_user: User, group: Group) -> None:
    if not can_manage(acting_user, group):
        raise PermissionDenied(_("Only the group's managers change its members."))


def _ensure_may_give(role: str, *, acting_user: User, group: Group) -> None:
    if role not in Role.values:
        raise TicketError(_("Choose one of the roles."))
    if role == Role.ADMINISTRATOR and not _is_administrator(acting_user, group):
        raise TicketError(_("Only an administrator makes someone an administrator."))  # said on the page


def _lock_members(group: Group) -> list[Membership]:
    """The group's memberships, locked: two managers changing roles at once never both remove
    the last manager."""
    return list(
        Membership.objects.select_for_update(of=("self",)).select_related("user").filter(group=group).order_by("pk")
    )


def _ensure_a_manager_stays(members: list[Membership], *, without: Membership) -> None:
    if not any(m.role in MANAGING_ROLES and m.user.is_active for m in members if m.pk != without.pk):
        raise TicketError(_("The group needs a manager: make someone else its manager first."))


@transaction.atomic
def do_add_member(group: Group, *, user: User, role: str, level: int, acting_user: User) -> Membership:
    """``user`` joins ``group`` with ``role`` and ``level``; available for its tickets."""
    _ensure_manages(acting_user, group)
    _ensure_may_give(role, acting_user=acting_user, group=group)
    if level not in Membership.Level.values:
        raise TicketError(_("Choose the 1st or the 2nd level."))
    if not user.is_active:
        raise TicketError(_("This person's account is switched off."))
    if Membership.objects.filter(group=group, user=user).exists():
        raise TicketError(_("Already a member of this group."))
    membership = Membership.objects.create(group=group, user=user, role=role, level=level)
    group_id = group.pk
    transaction.on_commit(lambda: tasks.assign_waiting_tickets(group_id))
    return membership


@transaction.atomic
def do_change_member(membership: Membership, *, role: str, level: int, acting_user: User) -> Membership:
    """A member's role and level in the group."""
    group = membership.group
    _ensure_manages(acting_user, group)
    _ensure_may_give(role, acting_user=acting_user, group=group)
    if level not in Membership.Level.values:
        raise TicketError(_("Choose the 1st or the 2nd level."))
    members = _lock_members(group)
    current = next(m for m in members if m.pk == membership.pk)
    if current.role == Role.ADMINISTRATOR and role != Role.ADMINISTRATOR:
        _ensure_may_give(Role.ADMINISTRATOR, acting_user=acting_user, group=group)
    if current.role in MANAGING_ROLES and role not in MANAGING_ROLES:
        _ensure_a_manager_stays(members, without=current)
    current.role, current.level = role, level
    current.save(update_fields=["role", "level"])
    return current


@transaction.atomic
def do_remove_member(membership: Membership, *, acting_user: User) -> int:
    """``membership``'s person leaves the group; their open tickets in it go back to its waiting
    tickets (recorded on each). Returns how many tickets went back."""
    group = membership.group
    _ensure_manages(acting_user, group)
    members = _lock_members(group)
    current = next(m for m in members if m.pk == membership.pk)
    if current.role == Role.ADMINISTRATOR:
        _ensure_may_give(Role.ADMINISTRATOR, acting_user=acting_user, group=group)
    if current.role in MANAGING_ROLES:
        _ensure_a_manager_stays(members, without=current)
    owned = list(Ticket.objects.filter(group=group, owner_id=current.user_id, closed_at__isnull=True).order_by("pk"))
    for ticket in owned:
        do_assign_ticket(ticket, owner=None, acting_user=acting_user)
    current.delete()
    group_id = group.pk
    transaction.on_commit(lambda: tasks.assign_waiting_tickets(group_id))
    return len(owned)
