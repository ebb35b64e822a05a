from __future__ import annotations

import pytest
from django.urls import reverse

from switchboard.tickets.models import TicketSource
from switchboard.tickets.tests.factories import make_ticket


def test_the_login_page_answers_and_home_needs_a_login(client):
    assert client.get(reverse("login")).status_code == 200
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_agent_signs_in_with_the_login_form(client, alice_agent):
    response = client.post(reverse("login"), {"username": "alice", "password": "pw-alice"}, follow=True)
    assert response.status_code == 200 and response.wsgi_request.user == alice_agent
    assert b"Volunteers" in response.content


@pytest.mark.spec("CORE-06")
def test_home_shows_a_button_with_counts_for_each_of_the_agents_groups_only(client, volunteers, donations, alice_agent):
    make_ticket(volunteers, source=TicketSource.PHONE)
    make_ticket(donations)
    client.force_login(alice_agent)
    page = client.get(reverse("home")).content.decode()
    assert 'data-group="volunteers"' in page and 'data-group="donations"' not in page
    assert "1</span> call</span>" in page and "1</span> needs a reply</span>" in page  # counts in words


def test_the_admin_is_for_administrators_only(client, alice_agent, dave_admin):
    client.force_login(alice_agent)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/tickets/ticket/").status_code == 302
    client.force_login(dave_admin)
    assert client.get("/admin/").status_code == 200
    for model in ["tickets/ticket", "tickets/group", "tickets/activity", "contacts/contact", "intake/rawmessage"]:
        assert client.get(f"/admin/{model}/").status_code == 200, model


def test_tickets_are_read_only_in_the_admin(client, volunteers, dave_admin):
    ticket = make_ticket(volunteers)
    client.force_login(dave_admin)
    response = client.post(f"/admin/tickets/ticket/{ticket.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    ticket.refresh_from_db()


def test_pages_follow_the_agents_language(client, alice_agent):
    alice_agent.agent_profile.language = "pl"
    alice_agent.agent_profile.save()
    client.force_login(alice_agent)
    page = client.get(reverse("home")).content.decode()
    assert 'lang="pl"' in page and "Wyloguj" in page and "Wymaga odpowiedzi" in page


def test_health_check(client, db):
    assert client.get(reverse("health")).json() == {"status": "ok"}
