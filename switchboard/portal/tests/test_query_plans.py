"""The portal's pages read no large table whole (as the agents' main pages, issue 19), on
seeded data: a contact's list of tickets, a ticket, the new ticket's form, and the sign-in."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.urls import reverse

from switchboard.contacts.models import Contact
from switchboard.portal.links import ticket_url
from switchboard.portal.tests.helpers import path_of, sign_in_as
from switchboard.testing.query_plans import captured_statements, full_scans, seed_for_plans


@pytest.mark.spec("SELF-03")
def test_the_portal_pages_read_no_large_table_whole(client, db):
    seed_for_plans()
    contact = Contact.objects.filter(points__kind="email").annotate(n=Count("tickets")).order_by("-n").first()
    ticket = contact.tickets.order_by("-number").first()
    sign_in_as(client, contact)
    pages = {
        "my tickets": reverse("portal_home"),
        "a ticket": reverse("portal_contact_ticket", args=[ticket.number]),
        "new ticket": reverse("portal_new_ticket"),
        "the ticket's link": path_of(ticket_url(ticket)),
    }
    scans = {}
    for name, url in pages.items():
        with captured_statements() as statements:
            response = client.get(url, follow=True)
        assert response.status_code == 200 and statements, name
        if found := full_scans(statements):
            scans[name] = found
    with captured_statements() as statements:
        client.post(reverse("portal_sign_out"))
        client.post(reverse("portal_sign_in"), {"email": "nobody@example.org"})
    if found := full_scans(statements):
        scans["asking for a link"] = found
    assert scans == {}
