"""A group's members page, for its managers (CORE-01, ADMIN-01): every member's role and level,
what each role means, add a person, remove one."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from switchboard.core.http import AgentRequest
from switchboard.tickets.actions import TicketError
from switchboard.tickets.manager_pages import managed_group, row_action
from switchboard.tickets.members import ROLE_MEANINGS, do_add_member, do_change_member, do_remove_member
from switchboard.tickets.models import Membership
from switchboard.tickets.selectors import list_team

REFUSAL = gettext_lazy("Only the group's managers change its members.")


def _number(request: AgentRequest, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


@login_required
def group_members(request: AgentRequest, slug: str) -> HttpResponse:
    """The page; POST adds a person to the group."""
    group = managed_group(request, slug, refusal=REFUSAL)
    error = ""
    if request.method == "POST":
        person = get_object_or_404(User, pk=_number(request, "user"))
        try:
            do_add_member(
                group,
                user=person,
                role=request.POST.get("role", ""),
                level=_number(request, "level"),
                acting_user=request.user,
            )
        except TicketError as problem:
            error = str(problem)
        else:
            name = person.get_full_name() or person.get_username()
            messages.success(request, _("%(name)s joined the group.") % {"name": name})
            return redirect("group_members", slug=group.slug)
    members = list_team(group)
    outsiders = User.objects.filter(is_active=True).exclude(memberships__group=group).order_by("first_name", "username")
    context = {
        "group": group,
        "members": members,
        "outsiders": outsiders,
        "roles": [(value, label, ROLE_MEANINGS[value]) for value, label in Membership.Role.choices],
        "levels": Membership.Level.choices,
        "error": error,
    }
    return render(request, "tickets/members.html", context, status=400 if error else 200)


def _name(membership: Membership) -> str:
    return membership.user.get_full_name() or membership.user.get_username()


def _change(request: AgentRequest, membership: Membership) -> str:
    """A member's role and level."""
    role, level = request.POST.get("role", ""), _number(request, "level")
    do_change_member(membership, role=role, level=level, acting_user=request.user)
    return _("%(name)s: saved.") % {"name": _name(membership)}


def _remove(request: AgentRequest, membership: Membership) -> str:
    """A member leaves the group."""
    returned = do_remove_member(membership, acting_user=request.user)
    text = _("%(name)s left the group.") % {"name": _name(membership)}
    if returned:
        text += " " + ngettext(
            "Their %(count)d open ticket went back to the waiting tickets.",
            "Their %(count)d open tickets went back to the waiting tickets.",
            returned,
        ) % {"count": returned}
    return text


def _member_action(run: Callable[[AgentRequest, Membership], str]) -> Callable[..., HttpResponse]:
    return row_action(
        run,
        rows=lambda group: Membership.objects.filter(group=group).select_related("user", "group"),
        name_of=_name,
        page="group_members",
        refusal=REFUSAL,
    )


change_member = _member_action(_change)
remove_member = _member_action(_remove)
