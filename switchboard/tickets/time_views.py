"""Time per ticket (AGENT-07) on the ticket page: the timer's or a hand-typed entry of minutes,
with a note, saved as the agent's own. Refused, the ticket page comes back with the form open,
what was typed and why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from switchboard.core.http import AgentRequest
from switchboard.core.templatetags.switchboard import hours_minutes
from switchboard.tickets.forms import TicketHeaderForm
from switchboard.tickets.models import TimeSource
from switchboard.tickets.time_forms import TimeEntryForm
from switchboard.tickets.time_tracking import TimeEntryError, do_log_time
from switchboard.tickets.views import _render_ticket, _ticket_for


@login_required
@require_POST
def log_time(request: AgentRequest, number: int) -> HttpResponse:
    ticket = _ticket_for(request, number)
    form = TimeEntryForm(request.POST)
    if form.is_valid():
        try:
            entry = do_log_time(
                ticket,
                minutes=form.cleaned_data["minutes"],
                note=form.cleaned_data["note"],
                source=TimeSource(form.cleaned_data["source"]),
                acting_user=request.user,
            )
        except (TimeEntryError, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Logged %(time)s on this ticket.") % {"time": hours_minutes(entry.minutes)})
            return redirect("ticket", number=number)
    header = TicketHeaderForm(ticket=ticket)
    return _render_ticket(request, ticket, header, status=400, extra={"time_form": form})
