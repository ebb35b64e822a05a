from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from switchboard.tickets.actions import do_assign_ticket, do_change_ticket_status, do_close_ticket
from switchboard.tickets.models import StatusKind, TicketSource
from switchboard.tickets.selectors import list_group_counts, list_open_tickets
from switchboard.tickets.tests.factories import make_ticket


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


@pytest.mark.spec("CORE-05")
@pytest.mark.parametrize("order", ["number", "-status", "created", "-updated", "owner", "contact", "-title", "due"])
def test_open_tickets_sort_by_every_column(order, volunteers, alice_agent):
    add_tickets(volunteers, 3, owner=alice_agent)
    tickets = list(list_open_tickets(volunteers, user=alice_agent, order=order))
    assert len(tickets) == 3


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
def test_list_and_counts_cost_the_same_queries_for_10_and_for_1000_tickets(volunteers, donations, alice_agent):
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
    add_tickets(volunteers, 495, owner=anna)
    add_tickets(donations, 495, owner=anna)
    large = (queries_of(read_list), queries_of(read_counts))
    assert small == large
    assert large[1] == 2  # the groups, and their counts
    assert sum(r.open_total for r in list_group_counts(anna)) == 1000
