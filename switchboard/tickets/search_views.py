"""Global search (CORE-10, CC-01): the navbar box's suggestions as one types, and the results
page it opens on Enter, which also lists one contact's tickets."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from switchboard.contacts.models import Contact
from switchboard.core.http import AgentRequest
from switchboard.tickets.global_search import (
    SearchResults,
    find_tickets_and_contacts,
    get_visible_contact,
    list_tickets_of_contact,
)

# Longer texts are cut: nobody types more to find a ticket, and each word costs a lookup.
MAX_QUERY_CHARS = 200


def _query(request: AgentRequest) -> str:
    return request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]


@login_required
@require_GET
def search_suggestions(request: AgentRequest) -> HttpResponse:
    """What the navbar's box shows under itself while the agent types (htmx)."""
    text = _query(request)
    results = find_tickets_and_contacts(request.user, text) if text else SearchResults(tickets=[], contacts=[])
    return render(request, "tickets/_search_suggestions.html", {"q": text, "results": results})


@login_required
@require_GET
def search(request: AgentRequest) -> HttpResponse:
    """The results page: everything the text finds, or (``?contact=``) one contact's tickets."""
    text = _query(request)
    contact = None
    if (contact_id := request.GET.get("contact", "")).isdigit():
        try:
            contact = get_visible_contact(request.user, int(contact_id))
        except Contact.DoesNotExist:
            raise Http404 from None
        results = SearchResults(tickets=list_tickets_of_contact(request.user, contact), contacts=[])
    elif text:
        results = find_tickets_and_contacts(request.user, text, tickets=50, contacts=20, everything=True)
    else:
        results = SearchResults(tickets=[], contacts=[])
    return render(request, "tickets/search.html", {"q": text, "contact": contact, "results": results})
