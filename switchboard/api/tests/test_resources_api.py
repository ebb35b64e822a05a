"""Contacts, groups, statuses, users and knowledge-base articles over the API (API-01)."""

from __future__ import annotations

import pytest

from switchboard.api.tests.helpers import call, make_token
from switchboard.contacts.models import Contact
from switchboard.knowledge.actions import ArticleText, do_create_article
from switchboard.tickets.models import Membership, Ticket
from switchboard.tickets.tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.spec("API-01")


def test_an_agent_searches_creates_updates_and_reads_contacts(client, alice_agent):
    token = make_token(alice_agent)
    made = call(
        client,
        "POST",
        "/api/contacts",
        token,
        {"first_name": "Zofia", "last_name": "Nowak", "points": [{"kind": "email", "value": "Zofia@Example.org"}]},
    )
    assert made.status_code == 201, made.json()
    contact = made.json()
    assert contact["points"][0]["value"] == "zofia@example.org"
    found = call(client, "GET", "/api/contacts", token, q="zofia").json()
    assert [c["id"] for c in found] == [contact["id"]]
    changed = call(client, "PATCH", f"/api/contacts/{contact['id']}", token, {"city": "Kraków"})
    assert changed.status_code == 200 and changed.json()["city"] == "Kraków"
    assert changed.json()["points"][0]["value"] == "zofia@example.org"  # points not sent: kept
    taken = call(
        client,
        "POST",
        "/api/contacts",
        token,
        {"first_name": "Other", "points": [{"kind": "email", "value": "zofia@example.org"}]},
    )
    assert taken.status_code == 422 and "already belongs" in taken.json()["message"]
    nameless = call(client, "POST", "/api/contacts", token, {"city": "Nowhere"})
    assert nameless.status_code == 422 and Contact.objects.filter(city="Nowhere").count() == 0


def test_a_manager_merges_contacts_and_is_asked_before_tickets_merge(client, volunteers, alice_agent):
    mona = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    token = make_token(mona)
    one, two = make_contact("Jan", "Kowalski"), make_contact("Jan", "Kowalsky")
    first, second = make_ticket(volunteers, contact=one), make_ticket(volunteers, contact=two)
    asked = call(client, "POST", f"/api/contacts/{one.pk}/merge", token, {"into": two.pk})
    assert asked.status_code == 409 and f"#{first.number}" in asked.json()["message"]
    assert Contact.objects.get(pk=one.pk).merged_into_id is None
    refused = call(client, "POST", f"/api/contacts/{one.pk}/merge", make_token(alice_agent), {"into": two.pk})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    merged = call(client, "POST", f"/api/contacts/{one.pk}/merge", token, {"into": two.pk, "merge_open_tickets": True})
    assert merged.status_code == 200 and merged.json()["id"] == two.pk
    assert Ticket.objects.get(pk=first.pk).merged_into_id == second.pk
    assert call(client, "GET", f"/api/contacts/{one.pk}", token).status_code == 404


def test_groups_statuses_and_users_are_those_of_the_agents_groups(
    client, volunteers, donations, alice_agent, bob_agent
):
    carol = make_agent("carol", "CA", groups=[volunteers])
    token = make_token(alice_agent)
    assert [g["id"] for g in call(client, "GET", "/api/groups", token).json()] == [volunteers.pk]
    assert call(client, "GET", f"/api/groups/{donations.pk}", token).status_code == 404
    statuses = call(client, "GET", "/api/statuses", token).json()
    assert {s["group_id"] for s in statuses} == {volunteers.pk} and len(statuses) == volunteers.statuses.count()
    assert call(client, "GET", f"/api/groups/{volunteers.pk}/statuses", token).json() == statuses
    users = {u["username"] for u in call(client, "GET", "/api/users", token).json()}
    assert users == {"alice", "carol"}
    assert call(client, "GET", f"/api/users/{carol.pk}", token).json()["first_name"] == "Carol"
    assert call(client, "GET", f"/api/users/{bob_agent.pk}", token).status_code == 404
    assert call(client, "GET", "/api/users/me", token).json()["id"] == alice_agent.pk


def test_articles_are_those_the_user_may_read(client, alice_agent, django_user_model):
    do_create_article(
        ArticleText(title="Opening hours", body_html="<p>9 to 5</p>", state="published"), acting_user=alice_agent
    )
    do_create_article(
        ArticleText(title="Refund script", body_html="<p>Say</p>", visibility="internal", state="published"),
        acting_user=alice_agent,
    )
    customer = django_user_model.objects.create_user("kim", "kim@example.org", "pw")
    agent_titles = {a["title"] for a in call(client, "GET", "/api/articles", make_token(alice_agent)).json()}
    assert agent_titles == {"Opening hours", "Refund script"}
    kims = make_token(customer)
    assert [a["title"] for a in call(client, "GET", "/api/articles", kims).json()] == ["Opening hours"]
    assert call(client, "GET", "/api/articles/refund-script", kims).status_code == 404
    found = call(client, "GET", "/api/articles", make_token(alice_agent), q="refund").json()
    assert [a["slug"] for a in found] == ["refund-script"]
    # Someone who works in no group sees no tickets, groups or contacts either.
    assert call(client, "GET", "/api/tickets", kims).json()["items"] == []
    assert call(client, "GET", "/api/contacts", kims).status_code == 403
