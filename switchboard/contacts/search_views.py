"""The contacts list with its search box (CC-01), and the suggestions that box, and the ticket
page's contact picker, show as one types (htmx).

Every agent finds every contact here, as seed 001's contact list has them all: a contact without
a ticket in the agent's groups is still one they may call, make an outbound ticket for (CC-06)
or make a ticket's contact. Tickets stay behind their groups: the count of open tickets counts
the agent's groups only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from switchboard.contacts.selectors import search_contacts
from switchboard.core.http import AgentRequest
from switchboard.tickets.selectors import count_open_tickets_of_contacts

MAX_QUERY_CHARS = 200
PAGE_SIZE = 25
SUGGESTIONS = 8
# Paging stops here (10,000 contacts in): a longer search is better narrowed than paged through.
MAX_PAGE = 400


def _query(request: AgentRequest) -> str:
    return request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]


@login_required
@require_GET
def contacts(request: AgentRequest) -> HttpResponse:
    """The contacts that the search finds (all, newest first, without one), a page at a time."""
    text = _query(request)
    page_text = request.GET.get("page", "1")
    page = min(int(page_text), MAX_PAGE) if page_text.isdigit() and int(page_text) > 0 else 1
    found = search_contacts(text, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    shown = found[:PAGE_SIZE]
    open_tickets = count_open_tickets_of_contacts(request.user, [contact.pk for contact in shown])
    for contact in shown:
        contact.open_tickets = open_tickets.get(contact.pk, 0)  # type: ignore[attr-defined]
    context = {
        "q": text,
        "contacts": shown,
        "page": page,
        "first": (page - 1) * PAGE_SIZE + 1,
        "last": (page - 1) * PAGE_SIZE + len(shown),
        "has_previous": page > 1,
        "has_next": len(found) > PAGE_SIZE and page < MAX_PAGE,
    }
    return render(request, "contacts/contacts.html", context)


@login_required
@require_GET
def contact_suggestions(request: AgentRequest) -> HttpResponse:
    """What the search box shows under itself as one types. ``pick=1``: for the ticket page's
    picker, where choosing a contact makes it the ticket's rather than opening it."""
    text = _query(request)
    found = search_contacts(text, limit=SUGGESTIONS) if text else []
    context = {"q": text, "contacts": found, "pick": request.GET.get("pick") == "1"}
    return render(request, "contacts/_suggestions.html", context)
