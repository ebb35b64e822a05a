"""The ticket page's "Similar" tab (AGENT-04), fetched when the agent opens it: the page itself
costs nothing more."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from switchboard.core.http import AgentRequest
from switchboard.tickets.similar import list_similar_tickets
from switchboard.tickets.views import _ticket_for


@login_required
@require_GET
def similar_tickets(request: AgentRequest, number: int) -> HttpResponse:
    ticket = _ticket_for(request, number)
    similar = list_similar_tickets(ticket, user=request.user)
    return render(request, "tickets/_similar.html", {"ticket": ticket, "similar": similar})
