"""Global search (the navbar's box): what each kind of text finds, and what an agent never sees."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from switchboard.contacts.actions import do_create_contact, do_rename_contact
from switchboard.contacts.models import Contact
from switchboard.intake.inbound import Inbound, Person
from switchboard.tickets.actions import TicketHeader, do_add_note, do_close_ticket, do_move_ticket, do_update_ticket
from switchboard.tickets.global_search import find_tickets_and_contacts
from switchboard.tickets.messages import do_add_inbound_message
from switchboard.tickets.models import TicketSource
from switchboard.tickets.tests.factories import make_contact, make_ticket

pytestmark = pytest.mark.spec("CORE-10", "CC-01")


def person(first: str, last: str, *, email: str = "", phone: str = "") -> Contact:
    return do_create_contact(
        kind=Contact.Kind.PERSON,
        first_name=first,
        last_name=last,
        emails=[email] if email else [],
        phones=[phone] if phone else [],
        acting_user=None,
    )


def found(user, text, *, everything=False):
    results = find_tickets_and_contacts(user, text, tickets=50, contacts=50, everything=everything)
    return set(results.tickets), set(results.contacts)


@pytest.fixture
def maria(db):
    return person("Maria", "Garcia", email="maria.garcia@example.org", phone="+48601234567")


@pytest.fixture
def marias_ticket(volunteers, maria):
    return make_ticket(volunteers, contact=maria, source=TicketSource.PHONE)


@pytest.mark.parametrize(
    "typed",
    [
        "+48 601 234 567",
        "+48-601-234-567",
        "+48601234567",
        "(+48) 601 234 567",
        "48 601 234 567",
        "0048 601 234 567",
        "601 234 567",
        "601-234-567",
        "+48 601 23",
    ],
)
def test_a_phone_number_typed_any_way_finds_the_callers_ticket_and_the_caller(
    settings, volunteers, alice_agent, maria, marias_ticket, typed
):
    settings.PHONE_REGION = "PL"  # "601 234 567" is read as a Polish number
    other = make_ticket(volunteers, contact=person("Jan", "Nowak", phone="+48601999999"))
    assert found(alice_agent, typed) == ({marias_ticket}, {maria})
    assert found(alice_agent, "+48 601 999")[0] == {other}


def test_too_few_digits_are_no_phone_number(volunteers, alice_agent, maria, marias_ticket):
    assert found(alice_agent, "+48 6") == (set(), set())


@pytest.mark.spec("CORE-02")
def test_a_number_finds_exactly_that_ticket_open_or_closed(volunteers, alice_agent):
    tickets = [make_ticket(volunteers) for _ in range(12)]
    closed = do_close_ticket(tickets[1], acting_user=None)
    assert found(alice_agent, f"#{tickets[0].number}") == ({tickets[0]}, set())
    assert found(alice_agent, f"# {closed.number}") == ({closed}, set())
    results = find_tickets_and_contacts(alice_agent, str(tickets[1].number))
    assert results.tickets[0] == closed, "the ticket of the number comes first"


def test_an_email_address_whole_or_begun_finds_the_contact_and_their_tickets(volunteers, alice_agent, maria):
    earlier = do_close_ticket(make_ticket(volunteers, contact=maria), acting_user=None)
    first = make_ticket(volunteers, contact=maria)
    assert found(alice_agent, "Maria.Garcia@Example.org") == ({first, earlier}, {maria})
    assert found(alice_agent, "maria.garc") == ({first, earlier}, {maria})
    assert found(alice_agent, "maria.garcia@example.com") == (set(), set())


def test_a_name_finds_the_contact_and_their_tickets_by_any_of_its_words_begun(volunteers, alice_agent, maria):
    ticket = make_ticket(volunteers, contact=maria)
    ewa = person("Ewa", "Zielińska", email="ewa@example.org")
    ewas = make_ticket(volunteers, contact=ewa)
    assert found(alice_agent, "garcia maria") == ({ticket}, {maria})
    assert found(alice_agent, "GARC") == ({ticket}, {maria})
    assert found(alice_agent, "zielińska") == ({ewas}, {ewa})
    if connection.vendor == "sqlite":  # FTS5 folds diacritics; PostgreSQL's 'simple' configuration does not
        assert found(alice_agent, "zielinska") == ({ewas}, {ewa}), "without the Polish letters"
    assert found(alice_agent, "maria zielińska") == (set(), set())
    do_rename_contact(maria, first_name="Maria", last_name="Nowak", company_name="", acting_user=None)
    assert found(alice_agent, "nowak") == ({ticket}, {maria})


def test_words_of_the_title_and_of_messages_and_notes_find_open_and_closed_tickets_open_first(volunteers, alice_agent):
    closed = make_ticket(volunteers, contact=make_contact("Tom", "Becker"))
    do_add_note(closed, body="Collect the sofa on Friday", acting_user=alice_agent)
    closed = do_close_ticket(closed, acting_user=None)
    titled = make_ticket(volunteers, contact=make_contact("Lena", "Fischer"))
    titled = do_update_ticket(
        titled,
        header=TicketHeader(title="Sofa pick-up", status=titled.status, owner=None, next_action="", due_at=None),
        expected_version=titled.version,
        acting_user=None,
    )
    written = make_ticket(volunteers, contact=make_contact("Ola", "Wiśniewska"))
    do_add_inbound_message(
        written,
        inbound=Inbound(channel="email", sender=Person("ola@example.org"), text="Is the sofa still free?"),
        cc=[],
    )
    results = find_tickets_and_contacts(alice_agent, "sofa")
    assert set(results.tickets) == {closed, titled, written}
    assert results.tickets[-1] == closed, "closed tickets after the open ones"
    assert results.contacts == [], "no contact is called Sofa"
    assert found(alice_agent, "sofa friday") == ({closed}, set())
    assert found(alice_agent, "becker sofa") == (set(), set()), "as one types, the words are in one text"
    assert found(alice_agent, "becker sofa", everything=True) == ({closed}, set()), "Enter: anywhere in a ticket"


def test_an_agent_never_finds_another_groups_ticket_or_its_contact(
    settings, volunteers, donations, alice_agent, bob_agent, maria, marias_ticket
):
    settings.PHONE_REGION = "PL"
    do_add_note(marias_ticket, body="Wheelchair ramp needed", acting_user=alice_agent)
    for text in ["+48 601 234 567", "601234567", "maria.garcia@example.org", "maria", "garcia", "wheelchair"]:
        for everything in (False, True):
            assert found(bob_agent, text, everything=everything) == (set(), set()), text
            assert found(alice_agent, text, everything=everything)[0] == {marias_ticket}, text
    assert found(bob_agent, f"#{marias_ticket.number}") == (set(), set())
    assert found(bob_agent, str(marias_ticket.number)) == (set(), set())


def test_a_contact_of_both_groups_shows_each_agent_only_the_tickets_of_their_groups(
    volunteers, donations, alice_agent, bob_agent, maria, marias_ticket
):
    gift = make_ticket(donations, contact=maria)
    assert found(bob_agent, "maria") == ({gift}, {maria})
    assert found(alice_agent, "maria") == ({marias_ticket}, {maria})


def test_a_moved_ticket_is_found_by_the_agents_of_its_new_group_only(
    volunteers, donations, alice_agent, bob_agent, maria, marias_ticket
):
    do_move_ticket(marias_ticket, group=donations, reset_status_and_form=True, acting_user=None)
    assert found(alice_agent, "maria") == (set(), set())
    assert found(bob_agent, "maria") == ({marias_ticket}, {maria})


def test_someone_in_copy_on_a_ticket_of_the_group_is_a_contact_the_agent_sees(
    volunteers, donations, alice_agent, bob_agent
):
    ticket = make_ticket(volunteers)
    boss = person("Greta", "Boss", email="greta@example.org")
    do_add_inbound_message(
        ticket,
        inbound=Inbound(channel="email", sender=Person(ticket.contact.points.get().value), text="My boss is in copy"),
        cc=[boss],
    )
    assert found(alice_agent, "greta@example.org")[1] == {boss}
    assert found(bob_agent, "greta@example.org") == (set(), set())


def test_an_administrator_finds_every_group(volunteers, donations, dave_admin, maria, marias_ticket):
    gift = make_ticket(donations, contact=maria)
    assert found(dave_admin, "+48601234567") == ({marias_ticket, gift}, {maria})


def test_an_empty_text_or_punctuation_finds_nothing_and_asks_nothing(volunteers, alice_agent, maria, marias_ticket):
    for text in ["", "   ", "()", '"*"']:
        with CaptureQueriesContext(connection) as ctx:
            assert found(alice_agent, text) == (set(), set())
        assert len(ctx.captured_queries) == 0, text


def search_queries(client, params: dict[str, str]) -> list[int]:
    counts = []
    for name in ("search_suggestions", "search"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name), params).status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts


def test_search_costs_the_same_queries_for_10_and_120_matching_tickets(settings, client, volunteers, alice_agent):
    settings.PHONE_REGION = "PL"

    def add_tickets(count: int, start: int) -> None:
        for n in range(start, start + count):
            contact = person("Maria", f"Garcia{n}", email=f"maria{n}@example.org", phone=f"+48601{n:06d}")
            ticket = make_ticket(volunteers, contact=contact)
            do_add_note(ticket, body="Sofa pick-up on Friday", acting_user=alice_agent)

    add_tickets(10, 0)
    client.force_login(alice_agent)
    texts = ["maria", "+48 601 00", "maria1@example", "sofa friday", "#1", "12"]
    small = {text: search_queries(client, {"q": text}) for text in texts}
    add_tickets(110, 10)
    assert {text: search_queries(client, {"q": text}) for text in texts} == small
    found_page = client.get(reverse("search"), {"q": "maria"}).content.decode()
    assert found_page.count("data-number=") == 50 and found_page.count("data-contact=") == 20


def test_as_one_types_only_the_newest_texts_are_looked_at_and_enter_looks_further(monkeypatch, volunteers, alice_agent):
    from switchboard.tickets import global_search

    monkeypatch.setattr(global_search, "SCAN", 2)
    oldest, middle, newest = (make_ticket(volunteers) for _ in range(3))
    for ticket in (oldest, middle, newest):
        do_add_note(ticket, body="Sofa pick-up", acting_user=alice_agent)
    assert found(alice_agent, "sofa")[0] == {middle, newest}
    assert found(alice_agent, "sofa", everything=True)[0] == {oldest, middle, newest}


def test_the_suggestions_group_tickets_and_contacts_and_offer_every_result(client, volunteers, alice_agent, maria):
    ticket = make_ticket(volunteers, contact=maria)
    client.force_login(alice_agent)
    html = client.get(reverse("search_suggestions"), {"q": "garcia"}).content.decode()
    assert html.index("Tickets") < html.index(f"#{ticket.number}") < html.index("Contacts") < html.index("+48601234567")
    assert "maria.garcia@example.org" in html and "Volunteers" in html
    assert f'href="/search/?contact={maria.pk}"' in html and 'href="/search/?q=garcia"' in html
    assert client.get(reverse("search_suggestions"), {"q": " "}).content.decode().strip() == ""
    nothing = client.get(reverse("search_suggestions"), {"q": "zebra"}).content.decode()
    assert "No quick match" in nothing and 'href="/search/?q=zebra"' in nothing


def test_the_results_page_lists_one_contacts_tickets_only_to_agents_who_see_the_contact(
    client, volunteers, donations, alice_agent, bob_agent, maria
):
    ticket = make_ticket(volunteers, contact=maria)
    make_ticket(donations, contact=make_contact("Jan", "Nowak"))
    client.force_login(alice_agent)
    page = client.get(reverse("search"), {"contact": maria.pk}).content.decode()
    assert "Tickets of Maria Garcia" in page and f'data-number="{ticket.number}"' in page
    client.force_login(bob_agent)
    assert client.get(reverse("search"), {"contact": maria.pk}).status_code == 404
    assert f'data-number="{ticket.number}"' not in client.get(reverse("search"), {"q": "maria"}).content.decode()
