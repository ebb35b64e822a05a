"""The group's categories page, for its managers (ROUTE-06): each category's name, place in the
order and agents (chosen from the group's members); add one, remove one."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from switchboard.core.http import AgentRequest
from switchboard.tickets.actions import TicketError
from switchboard.tickets.category_actions import (
    do_add_category,
    do_move_category,
    do_remove_category,
    do_update_category,
)
from switchboard.tickets.manager_pages import managed_group, row_action
from switchboard.tickets.models import Category
from switchboard.tickets.selectors import list_group_members

REFUSAL = gettext_lazy("Only the group's managers change its categories.")


def _category_action(run: Callable[[AgentRequest, Category], str]) -> Callable[..., HttpResponse]:
    return row_action(
        run,
        rows=lambda group: group.categories.all(),
        name_of=lambda c: c.name,
        page="group_categories",
        refusal=REFUSAL,
    )


def _chosen_agents(request: AgentRequest) -> list[User]:
    """The people ticked on the page; the action refuses anyone who is no member of the group."""
    ids = [int(value) for value in request.POST.getlist("agents") if value.isdigit()]
    return list(User.objects.filter(pk__in=ids))


@login_required
def group_categories(request: AgentRequest, slug: str) -> HttpResponse:
    """The page; POST adds a category."""
    group = managed_group(request, slug, refusal=REFUSAL)
    error = ""
    if request.method == "POST":
        try:
            category = do_add_category(
                group,
                name=request.POST.get("name", ""),
                agents=_chosen_agents(request),
                acting_user=request.user,
            )
        except TicketError as problem:
            error = str(problem)
        else:
            messages.success(request, _("Category “%(name)s” added.") % {"name": category.name})
            return redirect("group_categories", slug=group.slug)
    categories = list(
        group.categories.annotate(ticket_count=Count("tickets", distinct=True))
        .prefetch_related("agents")
        .order_by("position", "id")
    )
    for category in categories:
        category.agent_ids = {agent.pk for agent in category.agents.all()}  # type: ignore[attr-defined]
    context = {
        "group": group,
        "categories": categories,
        "members": list(list_group_members(group)),
        "error": error,
        "new_name": request.POST.get("name", "") if error else "",
    }
    return render(request, "tickets/categories.html", context, status=400 if error else 200)


def _update(request: AgentRequest, category: Category) -> str:
    """Save a category's name and agents."""
    agents = _chosen_agents(request)
    category = do_update_category(category, name=request.POST.get("name", ""), agents=agents, acting_user=request.user)
    return _("Category “%(name)s” saved.") % {"name": category.name}


def _move(request: AgentRequest, category: Category) -> str:
    """One place up or down."""
    do_move_category(category, up=request.POST.get("direction") == "up", acting_user=request.user)
    return ""


def _remove(request: AgentRequest, category: Category) -> str:
    """Remove a category; its tickets are left without one."""
    count = do_remove_category(category, acting_user=request.user)
    removed = _("Category “%(name)s” removed.") % {"name": category.name}
    if not count:
        return removed
    return (
        removed
        + " "
        + ngettext(
            "%(count)s ticket is now without a category.", "%(count)s tickets are now without a category.", count
        )
        % {"count": count}
    )


update_category = _category_action(_update)
move_category = _category_action(_move)
remove_category = _category_action(_remove)
