"""Who may see and work on which tickets: the one helper every view, API and action asks.

An agent reaches the groups they are a member of; an administrator (superuser) reaches all.
The helper lives with the tickets app because groups and memberships do.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Agent
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from switchboard.contacts.models import Contact
from switchboard.tickets.models import Group, Membership, Ticket

User = Agent | AnonymousUser


def visible_groups(user: User) -> QuerySet[Group]:
    if not user.is_authenticated or not user.is_active:
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    return Group.objects.filter(memberships__user=user)


def visible_contacts(user: User) -> QuerySet[Contact]:
    """The contacts ``user`` may see: those of a ticket in one of their groups, or in copy on one
    (MAIL-12); an administrator sees every contact. Filter a narrowed set with it: each contact
    costs two index lookups."""
    if not user.is_authenticated or not user.is_active:
        return Contact.objects.none()
    if user.is_superuser:
        return Contact.objects.all()
    groups = visible_groups(user)
    has_ticket = Ticket.objects.filter(contact_id=OuterRef("pk"), group__in=groups)
    in_copy = Ticket.cc_contacts.through.objects.filter(contact_id=OuterRef("pk"), ticket__group__in=groups)
    return Contact.objects.filter(Exists(has_ticket) | Exists(in_copy))


def is_agent(user: User) -> bool:
    """Whether ``user`` works in at least one group (or is an administrator): agents see and edit
    every contact (CC-01), as they call and write to people who have no ticket yet; the tickets
    shown with a contact are still only those of their own groups."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Membership.objects.filter(user=user).exists()


def can_work_in(user: User, group: Group | int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    group_id = group if isinstance(group, int) else group.pk
    return Membership.objects.filter(user=user, group_id=group_id).exists()


def can_still_work_in(user: User, group_id: int) -> bool:
    """``can_work_in`` asked of the database, not of the user as loaded when a long-lived
    connection (a WebSocket) began: a membership removed, an account switched off or an
    administrator's rights taken away since then count. One query."""
    if not user.is_authenticated:
        return False
    return (
        Agent.objects.filter(pk=user.pk, is_active=True)
        .filter(Q(is_superuser=True) | Q(memberships__group_id=group_id))
        .exists()
    )


def can_manage(user: User, group: Group) -> bool:
    """Managers and administrators of a group edit its statuses, forms and canned responses."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = [Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR]
    return Membership.objects.filter(user=user, group=group, role__in=roles).exists()


def ensure_can_work_in(user: User | None, group: Group | int) -> None:
    """Raise PermissionDenied unless ``user`` may work in ``group``; ``None`` is the system itself."""
    if user is not None and not can_work_in(user, group):
        raise PermissionDenied(_("You are not a member of this ticket's group."))


def ensure_can_work_on(user: User | None, ticket: Ticket) -> None:
    ensure_can_work_in(user, ticket.group_id)


def can_manage_contact(user: User, contact: Contact) -> bool:
    """Who may merge, erase and export a contact (CC-01, GDPR): an administrator, or a manager of
    every group that has a ticket of the contact or has them in copy. These change or reveal
    what every such team holds about the person, so no team's manager decides alone for another."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    groups = set(Ticket.objects.filter(contact=contact).values_list("group_id", flat=True).distinct())
    in_copy = Ticket.cc_contacts.through.objects.filter(contact=contact).values_list("ticket__group_id", flat=True)
    groups.update(in_copy.distinct())
    if not groups:
        return False
    roles = [Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR]
    managed = set(Membership.objects.filter(user=user, role__in=roles).values_list("group_id", flat=True))
    return groups <= managed


def report_groups(user: User) -> QuerySet[Group]:
    """The groups whose reports ``user`` may read (ADMIN-02): every group for an administrator,
    those they manage (or administer) for a manager; none for agents and home agents."""
    if not user.is_authenticated or not user.is_active:
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    roles = [Membership.Role.MANAGER, Membership.Role.ADMINISTRATOR]
    return Group.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()
