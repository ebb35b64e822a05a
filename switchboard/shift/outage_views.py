"""Pages of outages and banners (ADMIN-05): the outages by area (open and past), opening one
(``?area=`` preselects its area: the queue report links here), ending one, its parent incident
ticket; the banners with their history, posting and clearing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from switchboard.core.http import AgentRequest
from switchboard.shift.broadcasts import (
    can_clear_broadcast,
    can_post_broadcast,
    do_clear_broadcast,
    do_post_broadcast,
    list_broadcast_history,
)
from switchboard.shift.models import Broadcast, Outage
from switchboard.shift.outage_forms import BroadcastForm, IncidentForm, OutageForm
from switchboard.shift.outages import (
    NewOutage,
    OutageError,
    do_end_outage,
    do_open_outage,
    do_open_outage_incident,
    list_open_outages,
    list_past_outages,
)
from switchboard.tickets.permissions import is_agent


def _ensure_agent(request: AgentRequest) -> None:
    if not is_agent(request.user):
        raise PermissionDenied(_("Only agents see outages."))


@login_required
def outages(request: AgentRequest) -> HttpResponse:
    _ensure_agent(request)
    return render(
        request,
        "shift/outages.html",
        {
            "open_outages": list_open_outages(),
            "past_outages": list_past_outages(),
            "incident_form": IncidentForm(user=request.user),
            "may_post": can_post_broadcast(request.user),
        },
    )


@login_required
def new_outage(request: AgentRequest) -> HttpResponse:
    """Open an outage; ``?area=<id>`` preselects the area. Refused, the form again, saying why."""
    _ensure_agent(request)
    may_post = can_post_broadcast(request.user)
    if request.method == "POST":
        form = OutageForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            post = may_post and data["post_banner"]
            new = NewOutage(
                area=data["area"],
                description=data["description"],
                banner=form.banner() if post else None,
                banner_groups=tuple(data["groups"]) if post else (),
            )
            try:
                outage = do_open_outage(new, acting_user=request.user)
            except (OutageError, PermissionDenied) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Outage in %(area)s opened.") % {"area": outage.area})
                return redirect("outages")
    else:
        form = OutageForm(user=request.user, initial={"area": request.GET.get("area"), "post_banner": may_post})
    return render(request, "shift/outage_form.html", {"form": form, "may_post": may_post})


@login_required
@require_POST
def end_outage(request: AgentRequest, outage_id: int) -> HttpResponse:
    _ensure_agent(request)
    outage = get_object_or_404(Outage.objects.select_related("area"), pk=outage_id)
    try:
        do_end_outage(outage, acting_user=request.user)
    except OutageError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Outage in %(area)s ended.") % {"area": outage.area})
    return redirect("outages")


@login_required
@require_POST
def open_outage_incident(request: AgentRequest, outage_id: int) -> HttpResponse:
    """A parent incident ticket for the outage; its page opens, where tickets are linked to it."""
    _ensure_agent(request)
    outage = get_object_or_404(Outage, pk=outage_id)
    form = IncidentForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose one of your groups."))
        return redirect("outages")
    try:
        ticket = do_open_outage_incident(outage, group=form.cleaned_data["group"], acting_user=request.user)
    except (OutageError, PermissionDenied) as error:
        messages.error(request, str(error))
        return redirect("outages")
    messages.success(request, _("Parent incident opened: link the calls' tickets to it."))
    return redirect("ticket", number=ticket.number)


@login_required
def broadcasts(request: AgentRequest) -> HttpResponse:
    """The banners: post one (administrators and managers), and every banner with who posted
    and cleared it."""
    _ensure_agent(request)
    may_post = can_post_broadcast(request.user)
    form = BroadcastForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not may_post:
            raise PermissionDenied(_("Only administrators and managers post banners."))
        if form.is_valid():
            try:
                do_post_broadcast(form.banner(), groups=form.cleaned_data["groups"], acting_user=request.user)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Banner posted."))
                return redirect("broadcasts")
    history = list(list_broadcast_history(request.user)[:100])
    clearable = {
        broadcast.pk for broadcast in history if broadcast.is_active and can_clear_broadcast(request.user, broadcast)
    }
    return render(
        request,
        "shift/broadcasts.html",
        {"form": form, "may_post": may_post, "history": history, "clearable": clearable},
    )


@login_required
@require_POST
def clear_broadcast(request: AgentRequest, broadcast_id: int) -> HttpResponse:
    broadcast = get_object_or_404(Broadcast, pk=broadcast_id)
    do_clear_broadcast(broadcast, acting_user=request.user)
    messages.success(request, _("Banner cleared."))
    return redirect("outages" if request.POST.get("next") == "outages" else "broadcasts")
