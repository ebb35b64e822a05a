"""The ticket page's linked tickets (CORE-17): link, unlink, the parent's update."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from switchboard.core.http import AgentRequest
from switchboard.tickets.actions import TicketError
from switchboard.tickets.forms import IncidentUpdateForm, LinkTicketForm
from switchboard.tickets.links import (
    do_link_tickets,
    do_link_to_parent,
    do_send_incident_update,
    do_unlink_tickets,
    find_ticket_to_link,
)
from switchboard.tickets.views import _ticket_for


@login_required
@require_POST
def link_ticket(request: AgentRequest, number: int) -> HttpResponse:
    """Link another ticket of the agent's groups: as related, as a child of this incident, or as
    this ticket's parent incident."""
    ticket = _ticket_for(request, number)
    form = LinkTicketForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number of the ticket to link."))
        return redirect("ticket", number=number)
    try:
        other = find_ticket_to_link(request.user, form.cleaned_data["number"])
        how = form.cleaned_data["how"]
        if how == LinkTicketForm.How.CHILD:
            do_link_to_parent(other, parent=ticket, acting_user=request.user)
        elif how == LinkTicketForm.How.PARENT:
            do_link_to_parent(ticket, parent=other, acting_user=request.user)
        else:
            do_link_tickets(ticket, other=other, acting_user=request.user)
    except (TicketError, PermissionDenied) as error:
        messages.error(request, str(error) or _("No such ticket in your groups."))
        return redirect("ticket", number=number)
    messages.success(request, _("Ticket #%(number)s linked.") % {"number": other.number})
    return redirect("ticket", number=number)


@login_required
@require_POST
def unlink_ticket(request: AgentRequest, number: int) -> HttpResponse:
    ticket = _ticket_for(request, number)
    other = request.POST.get("other", "")
    try:
        other_ticket = find_ticket_to_link(request.user, int(other) if other.isdigit() else None)
        do_unlink_tickets(ticket, other=other_ticket, acting_user=request.user)
    except (TicketError, PermissionDenied) as error:
        messages.error(request, str(error) or _("No such ticket in your groups."))
    else:
        messages.success(request, _("Link to #%(number)s removed.") % {"number": other})
    return redirect("ticket", number=number)


@login_required
@require_POST
def send_incident_update(request: AgentRequest, number: int) -> HttpResponse:
    """The parent incident's update, to the contacts of all its linked tickets."""
    ticket = _ticket_for(request, number)
    form = IncidentUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the update first."))
        return redirect("ticket", number=number)
    try:
        result = do_send_incident_update(ticket, body_html=form.body_html(), acting_user=request.user)
    except (TicketError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, result.summary())
    return redirect("ticket", number=number)
