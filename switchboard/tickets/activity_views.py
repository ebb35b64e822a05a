"""The activities tab of the ticket page and "My activities" (CC-07): the timeline filtered by
kind and sorted, moving an entry to another ticket, a note on an entry, downloading its files,
and the agent's own recent activities across tickets."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from switchboard.core.http import AgentRequest
from switchboard.tickets.actions import TicketError
from switchboard.tickets.activity_actions import do_add_activity_note, do_move_activity
from switchboard.tickets.activity_selectors import (
    ALL,
    KIND_FILTERS,
    Timeline,
    count_my_activities,
    filter_timeline,
    kind_filter_key,
    list_my_activities,
    sort_order,
)
from switchboard.tickets.downloads import file_response, zip_response
from switchboard.tickets.models import Activity, Attachment, Ticket
from switchboard.tickets.permissions import visible_ticket_q
from switchboard.tickets.selectors import get_ticket_for, list_addresses_on_ticket, list_timeline

ACTIVITIES_PER_PAGE = 50
# The last filter and order chosen on a ticket's activities: kept while the agent stays on that
# ticket (through its forms and redirects), forgotten on another ticket.
CHOICE_KEY = "activities_tab"


class MoveActivityForm(forms.Form):
    number = forms.IntegerField(label=gettext_lazy("To ticket number"), min_value=1)


class ActivityNoteForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Note"), max_length=20_000)


def remembered_choice(request: AgentRequest, ticket: Ticket) -> tuple[str, str]:
    """The kind and order the agent chose for this ticket's activities: from the query string,
    else as last chosen on this ticket."""
    saved = request.session.get(CHOICE_KEY) or {}
    if saved.get("ticket") != ticket.number:
        saved = {}
    kind = kind_filter_key(request.GET.get("kind", saved.get("kind")))
    order = sort_order(request.GET.get("order", saved.get("order")))
    choice = {"ticket": ticket.number, "kind": kind, "order": order}
    if choice != saved and (saved or "kind" in request.GET or "order" in request.GET):
        request.session[CHOICE_KEY] = choice
    elif not saved and CHOICE_KEY in request.session:
        del request.session[CHOICE_KEY]
    return kind, order


def activities_context(request: AgentRequest, ticket: Ticket, timeline: list[Activity]) -> dict[str, object]:
    """What tickets/_timeline.html needs beside the ticket, from its loaded timeline."""
    kind, order = remembered_choice(request, ticket)
    activities: Timeline = filter_timeline(timeline, kind=kind, order=order)
    return {"activities": activities}


def _ticket_for(request: AgentRequest, number: int) -> Ticket:
    try:
        return get_ticket_for(request.user, number=number)
    except Ticket.DoesNotExist:
        raise Http404 from None


def _activity_for(request: AgentRequest, activity_id: int) -> Activity:
    """An entry of a ticket in one of the agent's groups; 404 for anything else."""
    return get_object_or_404(
        Activity.objects.select_related("ticket").filter(visible_ticket_q(request.user, "ticket__")), pk=activity_id
    )


@login_required
@require_GET
def ticket_activities(request: AgentRequest, number: int) -> HttpResponse:
    """The ticket's activities alone, filtered and sorted: what the chips swap in (htmx)."""
    ticket = _ticket_for(request, number)
    context = {
        "ticket": ticket,
        "addresses_on_ticket": list_addresses_on_ticket(ticket),
        **activities_context(request, ticket, list(list_timeline(ticket))),
    }
    return render(request, "tickets/_timeline.html", context)


@login_required
@require_POST
def move_activity(request: AgentRequest, activity_id: int) -> HttpResponse:
    """ "Move to another ticket" (CC-07): the target is picked by its number."""
    activity = _activity_for(request, activity_id)
    source = activity.ticket
    form = MoveActivityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number of the ticket to move it to."))
        return redirect("ticket", number=source.number)
    number = form.cleaned_data["number"]
    try:
        into = get_ticket_for(request.user, number=number)
    except Ticket.DoesNotExist:
        messages.error(request, _("There is no ticket #%(number)s in your groups.") % {"number": number})
        return redirect("ticket", number=source.number)
    try:
        do_move_activity(activity, into=into, acting_user=request.user)
    except TicketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Moved to ticket #%(number)s.") % {"number": into.number})
    return redirect("ticket", number=source.number)


@login_required
@require_POST
def add_activity_note(request: AgentRequest, activity_id: int) -> HttpResponse:
    """ "Add a note" to one entry (CC-07)."""
    activity = _activity_for(request, activity_id)
    form = ActivityNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A note cannot be empty."))
    else:
        try:
            do_add_activity_note(activity, body=form.cleaned_data["body"], acting_user=request.user)
        except TicketError as error:
            messages.error(request, str(error))
    return redirect("ticket", number=activity.ticket.number)


@login_required
@require_GET
def activity_files(request: AgentRequest, activity_id: int) -> FileResponse:
    """ "Download all": an entry's files in one zip, to agents of the ticket's group only."""
    activity = _activity_for(request, activity_id)
    files = list(activity.attachments.order_by("pk"))
    if not files:
        raise Http404
    name = _("ticket-%(number)s-files-%(entry)s.zip") % {"number": activity.ticket.number, "entry": activity.pk}
    return zip_response(files, filename=name)


@login_required
@require_GET
def download_attachment(request: AgentRequest, attachment_id: int) -> FileResponse:
    """One file, always as a download (an image or a recording too), to agents of its group only."""
    file = get_object_or_404(
        Attachment.objects.filter(visible_ticket_q(request.user, "activity__ticket__")), pk=attachment_id
    )
    return file_response(file.file, filename=file.filename, download=True)


@login_required
@require_GET
def my_activities(request: AgentRequest) -> HttpResponse:
    """My activities (CC-07): the agent's own replies, notes, calls, SMS and changes across
    tickets, newest first, by kind, a page at a time."""
    kind = kind_filter_key(request.GET.get("kind"))
    activities = list_my_activities(request.user, kind=kind).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.only("pk", "activity_id"))
    )
    page = Paginator(activities, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    counts = count_my_activities(request.user)
    chips = [{"key": ALL, "label": _("All"), "icon": "bi-list-ul", "count": sum(counts.values())}]
    chips += [
        {"key": f.key, "label": str(f.label), "icon": f.icon, "count": counts.get(f.key, 0)}
        for f in KIND_FILTERS
        if counts.get(f.key) or f.key == kind
    ]
    context = {"page": page, "kind": kind, "chips": chips}
    return render(request, "tickets/my_activities.html", context)
