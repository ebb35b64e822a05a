from __future__ import annotations

import pytest
from django.utils import timezone

from switchboard.contacts.actions import do_rename_contact
from switchboard.tickets.actions import (
    TicketHeader,
    do_add_note,
    do_close_ticket,
    do_merge_tickets,
    do_update_ticket,
)
from switchboard.tickets.models import Group
from switchboard.tickets.selectors import list_closed_tickets
from switchboard.tickets.tests.factories import make_contact, make_ticket


def closed(group, *, title="", note="", contact=None):
    ticket = make_ticket(group, contact=contact)
    if title:
        ticket = do_update_ticket(
            ticket,
            header=TicketHeader(title=title, status=ticket.status, owner=None, next_action="", due_at=None),
            expected_version=ticket.version,
            acting_user=None,
        )
    if note:
        do_add_note(ticket, body=note, acting_user=None)
    return do_close_ticket(ticket, acting_user=None)


def found(user, text, **kwargs):
    return set(list_closed_tickets(Group.objects.all(), user=user, text=text, **kwargs))


@pytest.mark.spec("CORE-10")
def test_finds_closed_tickets_by_words_of_notes_titles_and_contact_names(volunteers, alice_agent):
    sofa = closed(volunteers, title="Sofa pick-up", note="The customer asked for a Friday morning collection.")
    table = closed(volunteers, note="Dining table donated", contact=make_contact("Ewa", "Zielińska"))
    assert found(alice_agent, "friday collection") == {sofa}
    assert found(alice_agent, "sofa") == {sofa}
    assert found(alice_agent, "zielińska") == {table}
    assert found(alice_agent, "collect") == {sofa}, "words match as prefixes"
    assert found(alice_agent, "ewa dining") == {table}, "words may match different parts of a ticket"
    assert found(alice_agent, "friday dining") == set()
    assert found(alice_agent, str(table.number)) == {table}
    assert found(alice_agent, "") == {sofa, table}


@pytest.mark.spec("CORE-10")
def test_search_ignores_punctuation_and_quotes_in_the_query(volunteers, alice_agent):
    ticket = closed(volunteers, note='He said "AND" OR NOT: (sofa*) — it\'s fine')
    assert found(alice_agent, '"and" OR (sofa*) it\'s') == {ticket}


@pytest.mark.spec("CORE-10")
def test_the_latest_hundred_closed_and_a_date_range(volunteers, alice_agent):
    tickets = [closed(volunteers) for _ in range(3)]
    assert list(list_closed_tickets(Group.objects.all(), user=alice_agent, limit=2)) == tickets[:0:-1]
    today = timezone.localdate()
    assert len(found(alice_agent, "", closed_from=today, closed_to=today)) == 3
    assert found(alice_agent, "", closed_to=today.replace(year=today.year - 1)) == set()


@pytest.mark.spec("CORE-10")
def test_search_follows_renamed_contacts_and_merged_timelines(volunteers, alice_agent):
    maria = make_contact("Maria", "Garcia")
    merged = make_ticket(volunteers, contact=maria)
    do_add_note(merged, body="Wheelchair ramp needed", acting_user=None)
    survivor = closed(volunteers, contact=make_contact("Jan", "Kowalski"))
    do_merge_tickets(merged, into=survivor, acting_user=None)
    assert found(alice_agent, "wheelchair") == {survivor}
    do_rename_contact(maria, first_name="Maria", last_name="Nowak", company_name="", acting_user=None)
    assert found(alice_agent, "nowak") == {merged}, "the survivor's contact is someone else"


def test_search_never_returns_tickets_of_other_groups(volunteers, donations, bob_agent):
    closed(volunteers, note="secret volunteer matter")
    assert found(bob_agent, "secret") == set()
