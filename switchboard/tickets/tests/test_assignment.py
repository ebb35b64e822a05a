"""Assignment rules (ROUTE-01), availability (ROUTE-02) and waiting tickets (ROUTE-03) on a real
database: who gets a ticket, who never does, and that the limit holds when tickets arrive at once."""

from __future__ import annotations

import datetime as dt
import random
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from switchboard.testing.jobs import run_periodic_jobs
from switchboard.tickets.actions import do_assign_ticket, do_close_ticket, do_create_group
from switchboard.tickets.assignment import (
    do_assign_waiting_tickets,
    do_open_ticket,
    do_reassign_unopened_tickets,
    do_route_contact_message,
    do_route_ticket,
    do_set_availability,
)
from switchboard.tickets.models import Group, Membership, Ticket
from switchboard.tickets.tests.factories import make_agent, make_ticket

Rule = Group.AssignmentRule


def with_rule(group: Group, rule: str, limit: int = 5) -> Group:
    group.assignment_rule, group.assignment_limit = rule, limit
    group.save()
    return group


def new_routed_ticket(group: Group) -> Ticket:
    return do_route_ticket(make_ticket(group))


def owners(tickets: list[Ticket]) -> list[str | None]:
    return [ticket.owner.username if ticket.owner else None for ticket in tickets]


def membership(user, group) -> Membership:
    return Membership.objects.get(user=user, group=group)


@pytest.mark.spec("ROUTE-01", "ROUTE-03")
def test_limit_fills_agents_in_turn_then_waits_and_a_closed_ticket_makes_room_for_the_oldest(
    volunteers, django_capture_on_commit_callbacks
):
    with_rule(volunteers, Rule.LIMIT, limit=2)
    anna, ben = make_agent("anna", "AN", groups=[volunteers]), make_agent("ben", "BE", groups=[volunteers])

    tickets = [new_routed_ticket(volunteers) for _ in range(6)]

    assert owners(tickets) == ["anna", "ben", "anna", "ben", None, None]  # in turn, then they wait
    with django_capture_on_commit_callbacks(execute=True):
        do_close_ticket(tickets[1], acting_user=ben)
    waiting_oldest, waiting_youngest = (Ticket.objects.get(pk=ticket.pk) for ticket in tickets[4:])
    assert waiting_oldest.owner == ben and waiting_youngest.owner is None
    history = waiting_oldest.activities.latest("id")
    assert history.actor is None and history.changes == [{"field": "owner", "old": "", "new": "BE"}]
    assert anna.owned_tickets.filter(closed_at__isnull=True).count() == 2


@pytest.mark.spec("ROUTE-01")
def test_least_load_counts_every_group_of_shared_agents_and_breaks_ties_by_who_waited_longest(db):
    groups = [do_create_group(name, acting_user=None) for name in ("Food", "Furniture", "Clothes")]
    food, furniture, clothes = (with_rule(group, Rule.LEAST_LOAD) for group in groups)
    anna = make_agent("anna", "AN", groups=[food, clothes])
    ben = make_agent("ben", "BE", groups=[food, furniture])
    cleo = make_agent("cleo", "CL", groups=[furniture, clothes])
    for owner, group, count in [(anna, clothes, 3), (ben, furniture, 1), (cleo, furniture, 2)]:
        for _ in range(count):
            do_assign_ticket(make_ticket(group), owner=owner, acting_user=None)

    assert owners([new_routed_ticket(food)]) == ["ben"]  # anna 3, ben 1
    assert owners([new_routed_ticket(clothes)]) == ["cleo"]  # anna 3, cleo 2
    assert owners([new_routed_ticket(food)]) == ["ben"]  # anna 3, ben 2
    # anna 3, ben 3 in Food: the tie goes to anna, who has waited longer; then ben has fewer.
    assert owners([new_routed_ticket(food), new_routed_ticket(food)]) == ["anna", "ben"]
    loads = dict(
        Ticket.objects.filter(closed_at__isnull=True, owner__isnull=False)
        .values_list("owner__username")
        .annotate(n=Count("id"))
    )
    assert max(loads.values()) - min(loads.values()) <= 1


@pytest.mark.spec("ROUTE-01", "ROUTE-02")
@pytest.mark.parametrize("rule", [Rule.LIMIT, Rule.RANDOM, Rule.LEAST_LOAD])
def test_unavailable_and_second_level_agents_are_never_chosen(volunteers, rule):
    with_rule(volunteers, rule)
    random.seed(7)
    away = make_agent("away", "AW", groups=[volunteers])
    expert = make_agent("expert", "EX", groups=[volunteers])
    make_agent("anna", "AN", groups=[volunteers])
    do_set_availability(membership(away, volunteers), available=False, acting_user=away)
    Membership.objects.filter(user=expert).update(level=Membership.Level.SECOND)

    chosen = owners([new_routed_ticket(volunteers) for _ in range(4)])

    assert set(chosen) == {"anna"}


@pytest.mark.spec("ROUTE-01")
def test_random_spreads_tickets_and_do_not_assign_and_workflow_leave_them_unowned(volunteers, donations):
    with_rule(volunteers, Rule.RANDOM, limit=1)  # the limit belongs to the limit rule only
    random.seed(3)
    make_agent("anna", "AN", groups=[volunteers, donations])
    make_agent("ben", "BE", groups=[volunteers, donations])
    assert set(owners([new_routed_ticket(volunteers) for _ in range(20)])) == {"anna", "ben"}
    for rule in (Rule.NONE, Rule.WORKFLOW):
        with_rule(donations, rule)
        assert owners([new_routed_ticket(donations)]) == [None]


@pytest.mark.spec("ROUTE-02")
def test_a_contacts_message_on_a_ticket_whose_owner_is_away_goes_to_someone_available(volunteers):
    with_rule(volunteers, Rule.LEAST_LOAD)
    anna, ben = make_agent("anna", "AN", groups=[volunteers]), make_agent("ben", "BE", groups=[volunteers])
    ticket = do_assign_ticket(make_ticket(volunteers), owner=anna, acting_user=None)
    assert do_route_contact_message(ticket).owner == anna  # anna is here: she keeps it

    do_set_availability(membership(anna, volunteers), available=False, acting_user=anna)

    assert do_route_contact_message(ticket).owner is None  # then routed with the group's waiting tickets
    do_assign_waiting_tickets(volunteers)
    ticket.refresh_from_db()
    assert ticket.owner == ben


@pytest.mark.spec("ROUTE-02", "ROUTE-03")
def test_only_the_agent_or_a_manager_sets_availability_and_coming_back_takes_waiting_tickets(
    volunteers, django_capture_on_commit_callbacks
):
    with_rule(volunteers, Rule.LIMIT, limit=1)
    anna = make_agent("anna", "AN", groups=[volunteers])
    ben = make_agent("ben", "BE", groups=[volunteers])
    mona = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    do_set_availability(membership(mona, volunteers), available=False, acting_user=mona)
    with pytest.raises(PermissionDenied):
        do_set_availability(membership(anna, volunteers), available=False, acting_user=ben)
    do_set_availability(membership(anna, volunteers), available=False, acting_user=mona)
    do_set_availability(membership(ben, volunteers), available=False, acting_user=ben)
    waiting = [new_routed_ticket(volunteers) for _ in range(3)]
    assert owners(waiting) == [None, None, None]

    with django_capture_on_commit_callbacks(execute=True):
        do_set_availability(membership(anna, volunteers), available=True, acting_user=anna)

    assert owners([Ticket.objects.get(pk=ticket.pk) for ticket in waiting]) == ["anna", None, None]


@pytest.mark.spec("ROUTE-01")
@pytest.mark.postgres_only  # SQLite runs one writer at a time: no race to lose there
@pytest.mark.django_db(transaction=True)
def test_fifty_tickets_at_once_against_five_agents_with_limit_five_leave_each_at_exactly_five(volunteers):
    with_rule(volunteers, Rule.LIMIT, limit=5)
    agents = [make_agent(f"agent{n}", f"A{n}", groups=[volunteers]) for n in range(5)]
    tickets = [make_ticket(volunteers) for _ in range(50)]
    start = threading.Barrier(len(tickets))
    failures: list[BaseException] = []

    def route(ticket: Ticket) -> None:
        try:
            start.wait()
            do_route_ticket(ticket)
        except BaseException as error:  # noqa: BLE001 (reported below)
            failures.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=route, args=(ticket,)) for ticket in tickets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    for agent in agents:
        assert Ticket.objects.filter(owner=agent, closed_at__isnull=True).count() == 5
    assert Ticket.objects.filter(group=volunteers, owner__isnull=True).count() == 25


@pytest.mark.spec("ROUTE-03")
def test_a_ticket_its_owner_leaves_unopened_goes_to_the_next_agent_only_where_the_group_says_so(volunteers):
    with_rule(volunteers, Rule.LEAST_LOAD)
    make_agent("anna", "AN", groups=[volunteers])
    ben = make_agent("ben", "BE", groups=[volunteers])
    unopened, opened = new_routed_ticket(volunteers), new_routed_ticket(volunteers)
    assert owners([unopened, opened]) == ["anna", "ben"]
    do_open_ticket(opened, acting_user=ben)
    later = timezone.now() + dt.timedelta(minutes=31)
    assert do_reassign_unopened_tickets(volunteers, now=later) == 0  # off by default

    volunteers.reassign_unopened_minutes = 30
    volunteers.save()
    assert do_reassign_unopened_tickets(volunteers, now=timezone.now() + dt.timedelta(minutes=29)) == 0
    assert do_reassign_unopened_tickets(volunteers, now=later) == 1

    assert owners([Ticket.objects.get(pk=unopened.pk), Ticket.objects.get(pk=opened.pk)]) == ["ben", "ben"]
    assert Ticket.objects.get(pk=unopened.pk).activities.latest("id").changes == [
        {"field": "owner", "old": "AN", "new": "BE"}
    ]


@pytest.mark.spec("ROUTE-01")
def test_a_ticket_an_agent_opens_by_hand_is_routed_like_any_other(client, volunteers, alice_agent):
    with_rule(volunteers, Rule.LEAST_LOAD)
    ben = make_agent("ben", "BE", groups=[volunteers])
    do_assign_ticket(make_ticket(volunteers), owner=alice_agent, acting_user=None)
    client.force_login(alice_agent)
    form = {"first_name": "Jan", "last_name": "Nowak", "email": "jan@example.org", "title": "Sofa", "source": "phone"}

    response = client.post(reverse("new_ticket", args=["volunteers"]), form)

    assert response.status_code == 302
    assert Ticket.objects.get(contact__last_name="Nowak").owner == ben  # alice has one already


@pytest.mark.spec("ROUTE-01", "ROUTE-03")
def test_a_manager_turns_on_a_rule_on_the_settings_page_and_the_waiting_tickets_are_given_out(
    client, volunteers, alice_agent, django_capture_on_commit_callbacks
):
    mona = make_agent("mona", "MO", groups=[volunteers], role=Membership.Role.MANAGER)
    outsider = make_agent("out", "OU", groups=[])
    waiting = [make_ticket(volunteers) for _ in range(3)]
    url = reverse("group_settings", args=["volunteers"])
    client.force_login(alice_agent)
    assert client.get(url).status_code == 403
    client.force_login(mona)
    form = {"assignment_rule": "limit", "assignment_limit": "1", "reply_to_closed": "reopen"}
    shift = {"shift_hours": "9", "wrap_up_seconds": "45", "queue_report_minutes": "30"}  # seed 003's shift
    form = {**form, **shift}

    refused = client.post(url, {**form, "workflow_people": [outsider.pk]})
    assert refused.status_code == 400 and not Ticket.objects.filter(owner__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, form).status_code == 302

    volunteers.refresh_from_db()
    assert volunteers.assignment_rule == Rule.LIMIT and volunteers.assignment_limit == 1
    assert (volunteers.shift_hours, volunteers.wrap_up_seconds, volunteers.queue_report_minutes) == (9, 45, 30)
    assert owners([Ticket.objects.get(pk=ticket.pk) for ticket in waiting]) == ["alice", "mona", None]


@pytest.mark.spec("ROUTE-03")
def test_every_minute_the_waiting_tickets_go_oldest_first_to_agents_who_have_room(volunteers, donations):
    with_rule(volunteers, Rule.LIMIT, limit=1)  # donations assigns nobody: its tickets stay as they are
    make_agent("anna", "AN", groups=[volunteers])
    busy = new_routed_ticket(volunteers)
    waiting = [new_routed_ticket(volunteers) for _ in range(3)]
    untouched = make_ticket(donations)
    assert owners([busy, *waiting]) == ["anna", None, None, None]
    make_agent("ben", "BE", groups=[volunteers])  # joins: nothing is assigned at that moment

    with time_machine.travel(dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        assert "assign_waiting_tickets_every_minute" in run_periodic_jobs("assign_waiting_tickets_every_minute")
        assert owners([Ticket.objects.get(pk=ticket.pk) for ticket in waiting]) == ["ben", None, None]
        # Ben has room again. (The job closing enqueues at once runs only after a commit, which
        # this test's transaction never makes: only the periodic job can give the ticket out.)
        do_close_ticket(Ticket.objects.get(pk=waiting[0].pk), acting_user=None)
        clock.shift(dt.timedelta(minutes=1))
        run_periodic_jobs("assign_waiting_tickets_every_minute")

    assert owners([Ticket.objects.get(pk=ticket.pk) for ticket in waiting[1:]]) == ["ben", None]
    assert Ticket.objects.get(pk=untouched.pk).owner is None
