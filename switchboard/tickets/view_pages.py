"""The pages of the views across an agent's groups (ticket_views.py): a view's tickets with its
filters, the navbar's menu of views with their counts, and saving and deleting an agent's views."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User as Agent
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from switchboard.core.http import AgentRequest
from switchboard.tickets.models import Category, SavedView, TicketSource
from switchboard.tickets.permissions import visible_groups
from switchboard.tickets.selectors import OPEN_TICKET_ORDERINGS
from switchboard.tickets.ticket_views import (
    BUILT_IN_VIEWS,
    STATUS_LABELS,
    BuiltInView,
    ViewError,
    ViewFilters,
    count_views,
    do_delete_view,
    do_save_view,
    list_colleagues,
    list_saved_views,
    list_view_tickets,
    page_of_tickets,
)
from switchboard.tickets.views import TICKETS_PER_PAGE, _columns

SECTIONS = [
    ("work", gettext_lazy("Views")),
    ("status", gettext_lazy("By status")),
    ("source", gettext_lazy("By channel")),
]


class ViewFilterForm(forms.Form):
    """The filters of a view, as compact selects whose empty choice says what it means."""

    group = forms.ChoiceField(label=gettext_lazy("Group"), required=False)
    owner = forms.ChoiceField(label=gettext_lazy("Owner"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    source = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)

    def __init__(self, data: Any, *, user: Agent) -> None:
        super().__init__(data)
        groups = visible_groups(user).order_by("name").values_list("pk", "name")
        categories = Category.objects.filter(group__in=visible_groups(user)).order_by("group__name", "position", "name")
        colleagues = [(str(agent.pk), agent.get_full_name() or agent.username) for agent in list_colleagues(user)]
        choices: dict[str, list[tuple[str, Any]]] = {
            "group": [("", _("All my groups")), *((str(pk), name) for pk, name in groups)],
            "owner": [("", _("Any owner")), ("me", _("Me")), ("none", _("Nobody")), *colleagues],
            "status": [("", _("Any status")), *STATUS_LABELS.items()],
            "source": [("", _("Any channel")), *TicketSource.choices],
            "category": [
                ("", _("Any category")),
                *(
                    (str(pk), f"{group} · {name}")
                    for pk, name, group in categories.values_list("pk", "name", "group__name")
                ),
            ],
        }
        if len(choices["category"]) == 1:  # no group of theirs has categories
            del self.fields["category"], choices["category"]
        for name, field_choices in choices.items():
            cast("forms.ChoiceField", self.fields[name]).choices = field_choices
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-select form-select-sm view-filter", "title": field.label})

    def filters(self) -> ViewFilters:
        """The valid filters; a choice that is not offered (another group's) is left out."""
        self.is_valid()
        return ViewFilters.from_data(self.cleaned_data)


def _menu(user: Agent, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Every view with its count, by section, and the agent's saved views: two queries."""
    saved_views = list_saved_views(user)
    counts = count_views(user, saved_views, now=now)
    sections = [
        (label, [(view, counts[view.key]) for view in BUILT_IN_VIEWS.values() if view.section == section])
        for section, label in SECTIONS
    ]
    saved = [(view, counts[f"saved-{view.pk}"]) for view in saved_views]
    return {"sections": sections, "saved_views": saved, "counts": counts}


@login_required
def views_menu(request: AgentRequest) -> HttpResponse:
    """The navbar's menu of views and their counts, fetched when it opens."""
    return render(request, "tickets/_views_menu.html", _menu(request.user))


@login_required
def ticket_view(request: AgentRequest, key: str = "open") -> HttpResponse:
    view = BUILT_IN_VIEWS.get(key)
    if view is None:
        raise Http404
    form = ViewFilterForm(request.GET, user=request.user)
    return _view_page(request, view=view, filters=form.filters(), form=form, saved=None)


@login_required
def saved_view(request: AgentRequest, view_id: int) -> HttpResponse:
    saved = get_object_or_404(SavedView, pk=view_id, owner=request.user)
    view = BUILT_IN_VIEWS.get(saved.base, BUILT_IN_VIEWS["open"])
    form = ViewFilterForm(saved.filters, user=request.user)
    return _view_page(request, view=view, filters=form.filters(), form=form, saved=saved)


def _view_page(
    request: AgentRequest, *, view: BuiltInView, filters: ViewFilters, form: ViewFilterForm, saved: SavedView | None
) -> HttpResponse:
    order = request.GET.get("sort", "")
    if order.lstrip("-") not in OPEN_TICKET_ORDERINGS:
        order = view.order
    now = timezone.now()
    menu = _menu(request.user, now=now)
    # The view's count is in the menu's unless the page narrows it further.
    if saved is not None:
        known = menu["counts"][f"saved-{saved.pk}"] if filters.as_data() == saved.filters else None
    else:
        known = None if filters.as_data() else menu["counts"][view.key]
    tickets = list_view_tickets(request.user, view=view, filters=filters, order=order, now=now)
    page = page_of_tickets(tickets, request.GET.get("page"), per_page=TICKETS_PER_PAGE, count=known)
    filter_query = urlencode(filters.as_data())
    columns = _columns(order)
    if filter_query:  # the table's sort links keep the filters
        for column in columns:
            column["sort"] = f"{column['sort']}&{filter_query}"
    context = {
        "view": view,
        "saved": saved,
        "form": form,
        "filters": filters.as_data(),
        "page": page,
        "order": order,
        "columns": columns,
        "page_query": urlencode({"sort": order, **filters.as_data()}),
        **menu,
    }
    return render(request, "tickets/ticket_view.html", context)


@login_required
@require_POST
def save_view(request: AgentRequest) -> HttpResponse:
    base = request.POST.get("base", "")
    filters = ViewFilterForm(request.POST, user=request.user).filters()
    try:
        saved = do_save_view(request.user, name=request.POST.get("name", ""), base=base, filters=filters)
    except ViewError as error:
        messages.error(request, str(error))
        back = reverse("ticket_view", args=[base]) if base in BUILT_IN_VIEWS else reverse("ticket_views")
        return redirect(f"{back}?{urlencode(filters.as_data())}")
    messages.success(request, _("View “%(name)s” saved.") % {"name": saved.name})
    return redirect("saved_view", view_id=saved.pk)


@login_required
@require_POST
def delete_view(request: AgentRequest, view_id: int) -> HttpResponse:
    saved = get_object_or_404(SavedView, pk=view_id, owner=request.user)
    do_delete_view(saved, acting_user=request.user)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": saved.name})
    return redirect("ticket_views")
