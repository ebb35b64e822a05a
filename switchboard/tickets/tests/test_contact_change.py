"""Changing a ticket's contact on its page (CC-01, seed 001's case card): picked from the
suggestions or created in place; recorded in the history; refused, naming the ticket, when the
contact already has an open ticket in the group (CORE-03); only for the group's agents."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from switchboard.contacts.actions import do_create_contact
from switchboard.contacts.models import Contact
from switchboard.tickets.actions import TicketError, do_close_ticket, do_update_ticket
from switchboard.tickets.contact_change import ContactHasOpenTicketError, do_change_ticket_contact
from switchboard.tickets.global_search import find_tickets_and_contacts
from switchboard.tickets.models import ActivityKind, Ticket
from switchboard.tickets.tests.factories import make_contact, make_ticket
from switchboard.tickets.tests.test_actions import header_of

pytestmark = pytest.mark.spec("CC-01")


@pytest.fixture
def ewa(db):
    return do_create_contact(
        kind=Contact.Kind.PERSON, first_name="Ewa", last_name="Łukasik", emails=["ewa@example.org"], acting_user=None
    )


def last_change(ticket: Ticket) -> list[dict[str, str]]:
    return ticket.activities.filter(kind=ActivityKind.CHANGED).order_by("id").last().changes


def test_the_new_contact_is_the_tickets_in_its_history_title_and_search(volunteers, alice_agent, ewa):
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia"))
    assert ticket.title == "Maria Garcia (Volunteers)"
    changed = do_change_ticket_contact(ticket, ewa, acting_user=alice_agent)
    changed.refresh_from_db()
    assert changed.contact == ewa and changed.title == "Ewa Łukasik (Volunteers)"
    assert changed.version == ticket.version + 1
    assert {(c["field"], c["old"], c["new"]) for c in last_change(changed)} == {
        ("contact", "Maria Garcia", "Ewa Łukasik"),
        ("title", "Maria Garcia (Volunteers)", "Ewa Łukasik (Volunteers)"),
    }
    assert changed.activities.get(kind=ActivityKind.CHANGED).actor == alice_agent
    found = find_tickets_and_contacts(alice_agent, "Łukasik")
    assert [t.number for t in found.tickets] == [ticket.number]
    assert find_tickets_and_contacts(alice_agent, "Garcia").tickets == []


def test_a_title_someone_wrote_stays(volunteers, alice_agent, ewa):
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia"))
    ticket = do_update_ticket(
        ticket,
        header=header_of(ticket, title="Broken boiler"),
        expected_version=ticket.version,
        acting_user=alice_agent,
    )
    changed = do_change_ticket_contact(ticket, ewa, acting_user=alice_agent)
    assert changed.title == "Broken boiler"
    assert [c["field"] for c in last_change(changed)] == ["contact"]


def test_a_contact_with_an_open_ticket_in_the_group_is_refused_naming_it(volunteers, donations, alice_agent, ewa):
    ewas = make_ticket(volunteers, contact=ewa)
    do_close_ticket(make_ticket(donations, contact=ewa), acting_user=None)
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia"))
    with pytest.raises(ContactHasOpenTicketError) as refused:
        do_change_ticket_contact(ticket, ewa, acting_user=alice_agent)
    assert str(refused.value) == (
        f"Ewa Łukasik already has an open ticket in Volunteers: #{ewas.number} “Ewa Łukasik (Volunteers)”. "
        "A contact has one open ticket per group: work on that one, or close it first."
    )
    ticket.refresh_from_db()
    assert ticket.contact.display_name == "Maria Garcia" and not ticket.activities.filter(kind=ActivityKind.CHANGED)
    do_close_ticket(ewas, acting_user=None)  # once that one is closed, she may be this one's contact
    assert do_change_ticket_contact(ticket, ewa, acting_user=alice_agent).contact == ewa


def test_only_agents_of_the_tickets_group_change_its_contact(volunteers, bob_agent, ewa):
    ticket = make_ticket(volunteers)
    with pytest.raises(PermissionDenied):
        do_change_ticket_contact(ticket, ewa, acting_user=bob_agent)
    ticket.refresh_from_db()
    assert ticket.contact != ewa


def test_a_closed_ticket_keeps_its_contact_and_the_same_contact_changes_nothing(volunteers, alice_agent, ewa):
    ticket = make_ticket(volunteers, contact=ewa)
    assert do_change_ticket_contact(ticket, ewa, acting_user=alice_agent).version == ticket.version
    closed = do_close_ticket(make_ticket(volunteers), acting_user=None)
    with pytest.raises(TicketError, match="Reopen the ticket before changing its contact"):
        do_change_ticket_contact(closed, ewa, acting_user=alice_agent)


def test_the_new_contact_leaves_the_people_in_copy(volunteers, alice_agent, ewa):
    ticket = make_ticket(volunteers)
    ticket.cc_contacts.add(ewa)
    do_change_ticket_contact(ticket, ewa, acting_user=alice_agent)
    assert list(ticket.cc_contacts.all()) == []


# --- the ticket page ----------------------------------------------------------------------------


def test_the_ticket_page_changes_the_contact_to_the_one_picked(client, volunteers, alice_agent, ewa):
    ticket = make_ticket(volunteers, contact=make_contact("Maria", "Garcia"))
    client.force_login(alice_agent)
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "data-suggest-pick" in page and "/contacts/suggestions/?pick=1" in page
    response = client.post(
        f"/tickets/{ticket.number}/contact/", {"contact": ewa.pk, "version": ticket.version}, follow=True
    )
    page = response.content.decode()
    assert "Ewa Łukasik is now this ticket’s contact." in page
    assert f'href="/contacts/{ewa.pk}/"' in page and "ewa@example.org" in page
    assert "Contact</span>: Maria Garcia → Ewa Łukasik" in page  # the history


def test_the_ticket_page_says_which_open_ticket_stops_the_change(client, volunteers, alice_agent, ewa):
    ewas = make_ticket(volunteers, contact=ewa)
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    page = client.post(f"/tickets/{ticket.number}/contact/", {"contact": ewa.pk}, follow=True).content.decode()
    assert f"Ewa Łukasik already has an open ticket in Volunteers: #{ewas.number}" in page
    nothing = client.post(f"/tickets/{ticket.number}/contact/", {"contact": ""}, follow=True).content.decode()
    assert "Pick a contact from the suggestions." in nothing


def test_a_stale_page_does_not_change_the_contact(client, volunteers, alice_agent, ewa):
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    page = client.post(
        f"/tickets/{ticket.number}/contact/", {"contact": ewa.pk, "version": ticket.version - 1}, follow=True
    ).content.decode()
    assert "changed by someone else" in page
    ticket.refresh_from_db()
    assert ticket.contact != ewa


def test_another_groups_agent_cannot_reach_the_change(client, volunteers, bob_agent, ewa):
    ticket = make_ticket(volunteers)
    client.force_login(bob_agent)
    assert client.post(f"/tickets/{ticket.number}/contact/", {"contact": ewa.pk}).status_code == 404
    assert (
        client.post(f"/tickets/{ticket.number}/contact/new/", {"kind": "person", "last_name": "X"}).status_code == 404
    )
    ticket.refresh_from_db()
    assert ticket.contact != ewa and not Contact.objects.filter(last_name="X").exists()


def test_a_contact_created_in_place_becomes_the_tickets(client, settings, volunteers, alice_agent):
    settings.PHONE_REGION = "PL"
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    response = client.post(
        f"/tickets/{ticket.number}/contact/new/",
        {"kind": "company", "first_name": "ignored", "company_name": "Łódź Piekarnia", "phone": "601 234 567"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    company = ticket.contact
    assert company.kind == Contact.Kind.COMPANY and company.display_name == "Łódź Piekarnia"
    assert company.first_name == "" and list(company.points.values_list("value", flat=True)) == ["+48601234567"]
    assert ticket.activities.filter(kind=ActivityKind.CHANGED).exists()


def test_a_refused_new_contact_shows_the_form_again_with_what_is_wrong(client, volunteers, alice_agent, ewa):
    ticket = make_ticket(volunteers)
    client.force_login(alice_agent)
    response = client.post(
        f"/tickets/{ticket.number}/contact/new/", {"kind": "person", "first_name": "", "email": "EWA@example.org"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="new-contact" data-new-contact' in page and "collapse mt-2 border-top pt-2 show" in page
    assert "Give the person’s first or last name." in page
    assert "ewa@example.org is Ewa Łukasik’s already: pick them with “Change contact” instead." in page
    company = client.post(f"/tickets/{ticket.number}/contact/new/", {"kind": "company", "email": "not an address"})
    assert "Give the company’s name." in company.content.decode()
    assert "“not an address” is not a valid email address." in company.content.decode()
    assert Contact.objects.count() == 2  # Ewa and the ticket's own
