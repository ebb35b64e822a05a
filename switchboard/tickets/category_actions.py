"""A group's managers keep its categories (ROUTE-06): name, order and the agents who hear of each
new ticket in it. Only active members of the group can be a category's agents: an agent who
leaves the group stops hearing of its tickets (the notification checks again when it is sent).
Removing a category leaves its tickets without one, each with a line in its history."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from switchboard.core.ordering import move_one_place
from switchboard.tickets.actions import TicketError
from switchboard.tickets.models import ActivityKind, Category, Group, Ticket
from switchboard.tickets.permissions import can_manage
from switchboard.tickets.selectors import list_group_members
from switchboard.tickets.ticket_changes import record_activity

NAME_LENGTH = 100


def _ensure_manager(user: User, group: Group) -> None:
    if not can_manage(user, group):
        raise PermissionDenied(_("Only the group's managers change its categories."))


def _clean_name(group: Group, name: str, *, category: Category | None) -> str:
    name = " ".join(name.split())
    if not name:
        raise TicketError(_("Give the category a name."))
    if len(name) > NAME_LENGTH:
        raise TicketError(_("A category name is 100 characters at most."))
    others = group.categories.exclude(pk=category.pk) if category else group.categories.all()
    if name.casefold() in {other.name.casefold() for other in others}:
        raise TicketError(_("The group already has a category named “%(name)s”.") % {"name": name})
    return name


def _members(group: Group, agents: Iterable[User]) -> list[User]:
    members = {user.pk: user for user in list_group_members(group)}
    chosen = list(agents)
    if outsiders := [user for user in chosen if user.pk not in members]:
        raise TicketError(
            _("Only the group's active members can be a category's agents: %(names)s.")
            % {"names": ", ".join(user.get_full_name() or user.get_username() for user in outsiders)}
        )
    return chosen


@transaction.atomic
def do_add_category(group: Group, *, name: str, agents: Iterable[User] = (), acting_user: User) -> Category:
    _ensure_manager(acting_user, group)
    name = _clean_name(group, name, category=None)
    chosen = _members(group, agents)
    last = group.categories.order_by("-position").values_list("position", flat=True).first()
    category = Category.objects.create(group=group, name=name, position=0 if last is None else last + 1)
    category.agents.set(chosen)
    return category


@transaction.atomic
def do_update_category(category: Category, *, name: str, agents: Iterable[User], acting_user: User) -> Category:
    """Rename a category and choose its agents."""
    category = Category.objects.select_for_update().select_related("group").get(pk=category.pk)
    _ensure_manager(acting_user, category.group)
    category.name = _clean_name(category.group, name, category=category)
    category.save(update_fields=["name"])
    category.agents.set(_members(category.group, agents))
    return category


@transaction.atomic
def do_move_category(category: Category, *, up: bool, acting_user: User) -> None:
    """One place up or down in the group's order (the order of the category menus)."""
    _ensure_manager(acting_user, category.group)
    ordered = list(category.group.categories.select_for_update().order_by("position", "id"))
    if move_one_place(ordered, category.pk, up=up):
        Category.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def do_remove_category(category: Category, *, acting_user: User) -> int:
    """Remove a category; its tickets keep everything else, and their history says the category
    went. Returns how many tickets had it."""
    category = Category.objects.select_for_update().select_related("group").get(pk=category.pk)
    _ensure_manager(acting_user, category.group)
    tickets = list(Ticket.objects.select_for_update().filter(category=category).order_by("pk"))
    change = [{"field": "category", "old": category.name, "new": ""}]
    for ticket in tickets:
        ticket.category = None
        ticket.version += 1
        ticket.save(update_fields=["category", "version", "updated_at"])
        record_activity(ticket, ActivityKind.CHANGED, acting_user, changes=change)
    category.delete()
    return len(tickets)
