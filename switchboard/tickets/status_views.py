"""The group's statuses page, for its managers (CORE-04, ADMIN-01): each status's name, kind,
colour, place in the order and whether it is the initial one; add one, remove an unused one."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from switchboard.core.http import AgentRequest
from switchboard.tickets.actions import TicketError
from switchboard.tickets.manager_pages import managed_group, row_action
from switchboard.tickets.models import Status, StatusKind
from switchboard.tickets.status_actions import (
    StatusValues,
    do_add_status,
    do_move_status,
    do_remove_status,
    do_set_initial_status,
    do_update_status,
)
from switchboard.tickets.templatetags.tickets import KIND_NAMES

REFUSAL = gettext_lazy("Only the group's managers change its statuses.")


def _status_action(run: Callable[[AgentRequest, Status], str]) -> Callable[..., HttpResponse]:
    return row_action(
        run,
        rows=lambda group: group.statuses.all(),
        name_of=lambda s: s.display_name,
        page="group_statuses",
        refusal=REFUSAL,
    )


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, str(KIND_NAMES.get(kind, label))) for kind, label in StatusKind.choices]


class StatusForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=kind_choices)
    colour = forms.CharField(label=gettext_lazy("Colour"), max_length=7, required=False)

    def values(self) -> StatusValues:
        data = self.cleaned_data
        return StatusValues(name=data["name"], kind=StatusKind(data["kind"]), colour=data["colour"])


@login_required
def group_statuses(request: AgentRequest, slug: str) -> HttpResponse:
    """The page; POST adds a status."""
    group = managed_group(request, slug, refusal=REFUSAL)
    form = StatusForm(request.POST or None, initial={"kind": StatusKind.PENDING})
    if request.method == "POST" and form.is_valid():
        try:
            status = do_add_status(group, values=form.values(), acting_user=request.user)
        except TicketError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Status “%(name)s” added.") % {"name": status.display_name})
            return redirect("group_statuses", slug=group.slug)
    statuses = list(group.statuses.annotate(ticket_count=Count("tickets")).order_by("position", "id"))
    context = {"group": group, "statuses": statuses, "form": form, "kinds": kind_choices()}
    return render(request, "tickets/statuses.html", context, status=400 if form.is_bound else 200)


def _update(request: AgentRequest, status: Status) -> str:
    """Save a status's name, kind and colour."""
    form = StatusForm(request.POST)
    if not form.is_valid():
        raise TicketError(" ".join(str(error) for errors in form.errors.values() for error in errors))
    status = do_update_status(status, values=form.values(), acting_user=request.user)
    return _("Status “%(name)s” saved.") % {"name": status.display_name}


def _make_initial(request: AgentRequest, status: Status) -> str:
    """New and reopened tickets take this status."""
    do_set_initial_status(status, acting_user=request.user)
    return _("New tickets now start as “%(name)s”.") % {"name": status.display_name}


def _move(request: AgentRequest, status: Status) -> str:
    """One place up or down."""
    do_move_status(status, up=request.POST.get("direction") == "up", acting_user=request.user)
    return ""


def _remove(request: AgentRequest, status: Status) -> str:
    """Remove a status no ticket uses."""
    do_remove_status(status, acting_user=request.user)
    return _("Status “%(name)s” removed.") % {"name": status.display_name}


update_status = _status_action(_update)
make_initial_status = _status_action(_make_initial)
move_status = _status_action(_move)
remove_status = _status_action(_remove)
