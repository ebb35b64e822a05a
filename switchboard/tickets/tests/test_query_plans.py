"""The main pages read no large table whole (issue 19): a query-count test proves a page costs
the same queries at any size, not that each query is quick. ``switchboard.testing.query_plans``
asks the database how it runs each one, on seeded data."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.urls import reverse

from switchboard.contacts.models import ContactPoint
from switchboard.testing.query_plans import Statement, captured_statements, full_scans, seed_for_plans
from switchboard.tickets.canned_responses import do_save_canned_response
from switchboard.tickets.models import Membership, Ticket
from switchboard.tickets.selectors import list_cc_addresses
from switchboard.tickets.tests.factories import make_contact


@pytest.fixture
def seeded_agent(db, django_user_model):
    """The seeded agent who owns the most open tickets, a manager of the group of their busiest
    open ticket, which has two people in copy; the group has a canned response."""
    seed_for_plans()
    agent = (
        django_user_model.objects.filter(is_superuser=False)
        .annotate(open_owned=Count("owned_tickets", filter=Q(owned_tickets__closed_at__isnull=True)))
        .order_by("-open_owned")
        .first()
    )
    ticket = (
        Ticket.objects.filter(group__memberships__user=agent, closed_at__isnull=True)
        .annotate(entries=Count("activities"))
        .order_by("-entries")
        .first()
    )
    Membership.objects.filter(user=agent, group=ticket.group).update(role=Membership.Role.MANAGER)
    ticket.cc_contacts.add(make_contact("Ola", "Nowak"), make_contact("Jan", "Kowal"))
    do_save_canned_response(ticket.group, title="Thanks", body_html="<p>Thank you.</p>", acting_user=agent)
    return agent, ticket


def main_pages(ticket: Ticket) -> dict[str, str]:
    slug = ticket.group.slug
    return {
        "home": reverse("home"),
        "home's group counts": reverse("home"),
        "open tickets": reverse("open_tickets", args=[slug]),
        "open tickets by contact": reverse("open_tickets", args=[slug]) + "?sort=contact",
        "open tickets by service level": reverse("open_tickets", args=[slug]) + "?sort=sla",
        "my open tickets, page 2": reverse("open_tickets", args=[slug]) + "?mine=1&page=2",
        "closed tickets": reverse("closed_tickets", args=[slug]),
        "closed tickets found by text": reverse("closed_tickets", args=[slug]) + "?q=refund",
        "closed tickets of a month": reverse("closed_tickets", args=[slug])
        + "?closed_from=2026-01-01&closed_to=2026-01-31",
        "ticket": reverse("ticket", args=[ticket.number]),
        "canned responses": reverse("canned_responses", args=[slug]),
        "views menu": "/views/menu/",
        "view: needs a reply": "/views/needs-reply/",
        "view: my tickets": "/views/mine/",
        "view: nobody's calls": "/views/open/?source=phone&owner=none",
        "my activities": reverse("my_activities"),
        "my activities: notes, page 2": reverse("my_activities") + "?kind=note&page=2",
        "ticket's activities: calls, newest first": reverse("ticket_activities", args=[ticket.number])
        + "?kind=call&order=newest",
        "call list": reverse("call_list", args=[slug]),
        **search_pages(ticket),
    }


def search_pages(ticket: Ticket) -> dict[str, str]:
    """The navbar's global search, as one types and on Enter, for each kind of text (CORE-10, CC-01)."""
    phone = ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE).values_list("value", flat=True).first() or ""
    texts = {
        "a phone number typed with spaces": f"{phone[:3]} {phone[3:6]} {phone[6:]}",
        "a name begun": (ticket.contact.display_name if ticket.contact else "Maria")[:3],
        "a ticket number": f"#{ticket.number}",
        "the start of an address": "mar",
        "one letter": "m",
        "two words": "refund please",
    }
    pages = {}
    for kind, text in texts.items():
        pages[f"search as one types: {kind}"] = reverse("search_suggestions") + "?" + urlencode({"q": text})
        pages[f"search results: {kind}"] = reverse("search") + "?" + urlencode({"q": text})
    if ticket.contact_id:
        pages["search: a contact's tickets"] = reverse("search") + f"?contact={ticket.contact_id}"
    return pages


def report_pages() -> dict[str, str]:
    """The reports read their period's tickets by design. SQLite, without statistics, shows
    whether they take the period's index (an index of every ticket's empty "merged into" once
    drew it to read the table whole); on PostgreSQL, with the statistics of this small data set
    (the manager's groups hold 30 % of the tickets), the planner rightly reads a group's tickets
    whole for the answers per agent, so they are judged there by bench/reports.py at 1M tickets."""
    return {
        "reports: the last 30 days": reverse("reports"),
        "reports: a year of one channel": reverse("reports")
        + "?"
        + urlencode({"since": "2025-12-01", "until": "2026-11-30", "source": "email"}),
        "reports: agents CSV": reverse("report_csv", args=["agents"]),
        "reports: volume CSV": reverse("report_csv", args=["volume"]),
    }


@pytest.mark.spec("CORE-05", "CORE-06", "CORE-07", "CORE-10", "MAIL-05", "ADMIN-02")
def test_the_main_pages_read_no_large_table_whole(client, seeded_agent):
    agent, ticket = seeded_agent
    client.force_login(agent)
    scans = {}
    pages = main_pages(ticket) | (report_pages() if connection.vendor == "sqlite" else {})
    for name, url in pages.items():
        headers = {"HX-Request": "true"} if name == "home's group counts" else {}
        with captured_statements() as statements:
            response = client.get(url, headers=headers)
        assert response.status_code == 200 and statements, name
        if found := full_scans(statements):
            scans[name] = found
    assert scans == {}, "\n".join(f"{k}: {v}" for k, v in scans.items())
    # The ticket page still offers the reply to its people in copy.
    page = client.get(main_pages(ticket)["ticket"]).content.decode()
    assert all(address in page for address in list_cc_addresses(ticket)) and len(list_cc_addresses(ticket)) == 2


def test_the_check_names_a_query_that_reads_a_large_table_whole(seeded_agent):
    """The check can fail: a search of every title reads the tickets whole; every email address
    is half of the contact points, though an index leads to them; and on SQLite, the people in
    copy read through the join the ticket page used before issue 19, which SQLite plans from the
    kind of contact point."""
    _agent, ticket = seeded_agent
    queries = [
        Ticket.objects.filter(title__icontains="refund"),
        ContactPoint.objects.filter(kind=ContactPoint.Kind.EMAIL),
    ]
    if connection.vendor == "sqlite":
        queries.append(ContactPoint.objects.filter(kind=ContactPoint.Kind.EMAIL, contact__cc_tickets=ticket))
    for query in queries:
        sql, params = query.query.sql_with_params()
        assert full_scans([Statement(sql, params)]), str(query.query)
