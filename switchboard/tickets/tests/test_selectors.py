from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from switchboard.tickets.actions import (
    TicketHeader,
    do_add_note,
    do_assign_ticket,
    do_change_ticket_status,
    do_close_ticket,
    do_update_ticket,
)
from switchboard.tickets.models import StatusKind, TicketSource
from switchboard.tickets.selectors import list_group_counts, list_open_tickets
from switchboard.tickets.tests.factories import make_contact, make_ticket


def queries_of(read) -> int:
    with CaptureQueriesContext(connection) as ctx:
        read()
    return len(ctx.captured_queries)


def add_tickets(group, count, *, owner=None):
    for _ in range(count):
        ticket = make_ticket(group, source=TicketSource.PHONE)
        if owner is not None:
            do_assign_ticket(ticket, owner=owner, acting_user=None)


@pytest.mark.spec("CORE-05")
def test_open_tickets_list_shows_only_open_tickets_of_the_group_newest_first(volunteers, donations, alice_agent):
    first, second = make_ticket(volunteers), make_ticket(volunteers)
    do_close_ticket(make_ticket(volunteers), acting_user=None)
    make_ticket(donations)
    assert list(list_open_tickets(volunteers, user=alice_agent)) == [second, first]
    assert list(list_open_tickets(volunteers, user=alice_agent, order="number")) == [first, second]


@pytest.mark.spec("CORE-05")
def test_my_tickets_only_shows_mine_and_unowned(volunteers, alice_agent):
    from switchboard.tickets.tests.factories import make_agent

    carol = make_agent("carol", "CA", groups=[volunteers])
    mine = do_assign_ticket(make_ticket(volunteers), owner=alice_agent, acting_user=None)
    unowned = make_ticket(volunteers)
    do_assign_ticket(make_ticket(volunteers), owner=carol, acting_user=None)
    assert set(list_open_tickets(volunteers, user=alice_agent, mine=True)) == {mine, unowned}


@pytest.fixture
def three_different_tickets(volunteers, alice_agent):
    """Tickets #1, #2 and #3 that differ in every column of the list, each column in another
    order; made at a clock the test sets, so that creation and update times differ too."""
    from switchboard.tickets.tests.factories import make_agent

    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    owners = {"MM": alice_agent, "ZZ": make_agent("zoe", "ZZ", groups=[volunteers])}
    owners["AA"] = make_agent("adam", "AA", groups=[volunteers])
    statuses = {status.kind: status for status in volunteers.statuses.all()}
    rows = [  # contact's last name, owner's initials, title, status kind, due in days
        ("Nowak", "ZZ", "Apples", StatusKind.WAITING_CONTACT, 2),
        ("Kowalski", "MM", "Pears", StatusKind.NEEDS_CONTACT, 1),
        ("Adams", "AA", "Lemons", StatusKind.PENDING, 3),
    ]
    tickets = []
    with time_machine.travel(start, tick=False) as clock:
        for last_name, initials, title, kind, due_days in rows:
            clock.shift(dt.timedelta(minutes=1))
            ticket = make_ticket(volunteers, contact=make_contact("Jan", last_name))
            header = TicketHeader(
                title=title,
                status=statuses[kind],
                owner=owners[initials],
                next_action="",
                due_at=start + dt.timedelta(days=due_days),
            )
            tickets.append(
                do_update_ticket(ticket, header=header, expected_version=ticket.version, acting_user=alice_agent)
            )
        for n in (3, 1, 2):  # updated last: #3, then #1, then #2
            clock.shift(dt.timedelta(minutes=1))
            do_add_note(tickets[n - 1], body="Called", acting_user=alice_agent)
    return tickets


@pytest.mark.spec("CORE-05")
@pytest.mark.parametrize(
    ("column", "numbers"),
    [
        ("number", [1, 2, 3]),
        ("created", [1, 2, 3]),
        ("status", [2, 3, 1]),  # by the status's kind: needs contact, pending, waiting for the contact
        ("updated", [3, 1, 2]),
        ("owner", [3, 2, 1]),  # AA, MM, ZZ
        ("contact", [3, 2, 1]),  # Adams, Kowalski, Nowak
        ("title", [1, 3, 2]),  # Apples, Lemons, Pears
        ("due", [2, 1, 3]),
    ],
)
def test_open_tickets_sort_by_every_column_both_ways(column, numbers, three_different_tickets, volunteers, alice_agent):
    made = {ticket.pk: position for position, ticket in enumerate(three_different_tickets, start=1)}

    def listed(order: str) -> list[int]:
        return [made[ticket.pk] for ticket in list_open_tickets(volunteers, user=alice_agent, order=order)]

    assert listed(column) == numbers
    assert listed("-" + column) == numbers[::-1]


def test_an_agent_sees_no_tickets_of_a_group_they_are_not_in(volunteers, bob_agent):
    make_ticket(volunteers)
    assert list(list_open_tickets(volunteers, user=bob_agent)) == []


@pytest.mark.spec("CORE-06")
def test_group_counts_are_open_calls_needing_action_and_open_total_per_group_of_the_agent(
    volunteers, donations, alice_agent
):
    make_ticket(volunteers, source=TicketSource.PHONE)  # new: needs action, a call
    waiting = make_ticket(volunteers, source=TicketSource.EMAIL)
    do_change_ticket_status(waiting, status=volunteers.statuses.get(kind=StatusKind.WAITING_CONTACT), acting_user=None)
    do_close_ticket(make_ticket(volunteers, source=TicketSource.PHONE), acting_user=None)
    make_ticket(donations)
    [row] = list_group_counts(alice_agent)
    assert row.group == volunteers
    assert (row.open_calls, row.needing_action, row.open_total) == (1, 1, 2)


@pytest.mark.spec("CORE-05", "CORE-06")
def test_list_and_counts_cost_the_same_queries_for_10_and_for_120_tickets(volunteers, donations, alice_agent):
    from switchboard.tickets.tests.factories import make_agent

    anna = make_agent("anna", "AK", groups=[volunteers, donations])
    add_tickets(volunteers, 10, owner=anna)

    def read_list():
        return [
            (t.status.kind, t.owner.agent_profile.initials, t.contact.display_name)
            for t in list_open_tickets(volunteers, user=anna)[:50]
        ]

    def read_counts():
        return [(r.open_calls, r.needing_action, r.open_total) for r in list_group_counts(anna)]

    small = (queries_of(read_list), queries_of(read_counts))
    add_tickets(volunteers, 55, owner=anna)
    add_tickets(donations, 55, owner=anna)
    large = (queries_of(read_list), queries_of(read_counts))
    assert small == large
    assert large[1] == 2  # the groups, and their counts
    assert sum(r.open_total for r in list_group_counts(anna)) == 120


@pytest.mark.spec("MAIL-12")
def test_a_reply_goes_to_each_person_in_copy_at_their_primary_address(volunteers):
    from switchboard.contacts.actions import do_create_contact
    from switchboard.contacts.models import Contact
    from switchboard.tickets.actions import do_create_ticket
    from switchboard.tickets.selectors import list_addresses_on_ticket, list_cc_addresses

    ticket = make_ticket(volunteers, contact=make_contact("Ewa", "Nowak", email="ewa@example.org"))
    assert (list_cc_addresses(ticket), list_addresses_on_ticket(ticket)) == ([], {"ewa@example.org"})
    jan = do_create_contact(
        kind=Contact.Kind.PERSON,
        emails=["jan@example.org", "jan@home.example"],
        phones=["+48601000001"],
        acting_user=None,
    )
    ticket.cc_contacts.add(jan, make_contact("Ola", "Kowal", email="ola@example.org"))
    assert sorted(list_cc_addresses(ticket)) == ["jan@example.org", "ola@example.org"]
    assert list_addresses_on_ticket(ticket) == {
        "ewa@example.org",
        "jan@example.org",
        "jan@home.example",
        "ola@example.org",
    }
    anonymous = do_create_ticket(volunteers, contact=None, source=TicketSource.PHONE, acting_user=None)
    anonymous.cc_contacts.add(jan)
    assert list_cc_addresses(anonymous) == ["jan@example.org"]
    assert list_addresses_on_ticket(anonymous) == {"jan@example.org", "jan@home.example"}
