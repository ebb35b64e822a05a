"""Similar tickets (AGENT-04): the ticket page's Similar tab shows past resolved tickets of the
agent's groups with words like this one's, best first, with the answer each got; never another
group's, never open ones, and the page itself costs no more queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.contacts.selectors import primary_email_of
from switchboard.tickets.actions import do_close_ticket
from switchboard.tickets.messages import do_reply_to_contact
from switchboard.tickets.models import Group, Ticket
from switchboard.tickets.similar import telling_words
from switchboard.web.channel import WebMessage, receive_web_message


def asked(group: Group, email: str, subject: str, text: str) -> Ticket:
    """A question from the website, through the one intake pipeline."""
    raw = receive_web_message(group, WebMessage(email=email, name="Maria Garcia", subject=subject, text=text))
    assert raw.ticket is not None
    return raw.ticket


def answered_and_closed(ticket: Ticket, answer: str, agent) -> Ticket:  # type: ignore[no-untyped-def]
    do_reply_to_contact(
        ticket, to_address=primary_email_of(ticket.contact), body_html=f"<p>{answer}</p>", acting_user=agent
    )
    return do_close_ticket(ticket, acting_user=agent)


def similar_numbers(client, ticket: Ticket) -> list[int]:  # type: ignore[no-untyped-def]
    page = client.get(reverse("similar_tickets", args=[ticket.number])).content.decode()
    return [int(number) for number in re.findall(r'data-similar="(\d+)"', page)]


@pytest.fixture
def history(volunteers, donations, alice_agent, bob_agent, smtp_sink):  # type: ignore[no-untyped-def]
    """Resolved tickets in both groups, and an open one."""
    fridge = answered_and_closed(
        asked(volunteers, "a@example.org", "Fridge broken", "The pantry fridge is broken and the milk is warm."),
        "We called the repair service; the fridge is fixed on Monday.",
        alice_agent,
    )
    rota = answered_and_closed(
        asked(volunteers, "b@example.org", "Volunteer rota", "Can I swap my Saturday shift on the rota?"),
        "Yes, swap it with Tom; the rota is updated.",
        alice_agent,
    )
    secret = answered_and_closed(  # another group's, with the same words
        asked(donations, "c@example.org", "Fridge broken", "Our fridge is broken, the milk is warm."),
        "Donations' private answer.",
        bob_agent,
    )
    still_open = asked(volunteers, "d@example.org", "Fridge again", "The fridge is broken, milk warm again.")
    return {"fridge": fridge, "rota": rota, "secret": secret, "open": still_open}


@pytest.mark.spec("AGENT-04")
def test_similar_tickets_are_found_with_their_answers_and_not_other_groups(
    client, volunteers, alice_agent, history, dave_admin
):  # type: ignore[no-untyped-def]
    new = asked(volunteers, "e@example.org", "Warm fridge", "Hello, the fridge seems broken: the milk is warm!")
    client.force_login(alice_agent)

    page = client.get(reverse("similar_tickets", args=[new.number])).content.decode()
    assert similar_numbers(client, new) == [history["fridge"].number]  # not the rota; not open ones
    assert "the fridge is fixed on Monday" in page  # its answer
    assert "private answer" not in page and f'data-similar="{history["secret"].number}"' not in page

    # An administrator sees every group's.
    client.force_login(dave_admin)
    assert set(similar_numbers(client, new)) == {history["fridge"].number, history["secret"].number}


@pytest.mark.spec("AGENT-04")
def test_similar_tickets_are_only_for_those_who_see_the_ticket(client, volunteers, bob_agent, history):  # type: ignore[no-untyped-def]
    client.force_login(bob_agent)
    assert client.get(reverse("similar_tickets", args=[history["open"].number])).status_code == 404


@pytest.mark.spec("AGENT-04")
def test_nothing_alike_says_so(client, volunteers, alice_agent, history):  # type: ignore[no-untyped-def]
    new = asked(volunteers, "f@example.org", "Parking", "Where do I park the van?")
    client.force_login(alice_agent)
    page = client.get(reverse("similar_tickets", args=[new.number])).content.decode()
    assert "data-similar-none" in page


@pytest.mark.spec("AGENT-04")
def test_the_telling_words_drop_common_words_numbers_and_the_contacts_name(volunteers, smtp_sink):  # type: ignore[no-untyped-def]
    ticket = asked(
        volunteers, "g@example.org", "Pytanie o paczkę", "Dzień dobry, czy paczka 12345 jest gotowa? Pozdrawiam, Maria"
    )
    assert telling_words(ticket, "Dzień dobry, czy paczka 12345 jest gotowa? Pozdrawiam, Maria Garcia") == [
        "pytanie",
        "paczkę",
        "paczka",
        "gotowa",
    ]


@pytest.mark.spec("AGENT-04")
def test_the_ticket_page_costs_no_more_and_the_tab_a_fixed_number_of_queries(
    client, volunteers, donations, alice_agent, bob_agent, history
):  # type: ignore[no-untyped-def]
    new = asked(volunteers, "h@example.org", "Fridge", "The fridge is broken, the milk is warm.")
    client.force_login(alice_agent)
    page = client.get(reverse("ticket", args=[new.number])).content.decode()
    assert reverse("similar_tickets", args=[new.number]) in page and "the fridge is fixed" not in page

    client.get(reverse("similar_tickets", args=[new.number]))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("similar_tickets", args=[new.number]))
    for n in range(6):
        answered_and_closed(
            asked(volunteers, f"x{n}@example.org", f"Fridge {n}", "The fridge is broken, the milk is warm."),
            f"Answer {n}",
            alice_agent,
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("similar_tickets", args=[new.number])).content.decode()
    assert page.count("data-similar=") == 5  # the best five
    assert len(many) == len(few)
