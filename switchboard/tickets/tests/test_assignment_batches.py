"""Waiting tickets routed in batches (ROUTE-01, ROUTE-03): the same rule as one at a time, oldest
first, and the loads and limits right when two groups sharing agents route at once. The intake's
batches route nothing inside their transactions: their tickets wait for this routing after the
commit (intake/pipeline.py)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext

from switchboard.tickets import assignment, batch_writes
from switchboard.tickets.actions import do_assign_ticket, do_close_ticket, do_create_group
from switchboard.tickets.assignment import do_assign_waiting_tickets, do_route_ticket
from switchboard.tickets.models import Activity, ActivityKind, Group, Ticket
from switchboard.tickets.tests.factories import make_agent, make_ticket

Rule = Group.AssignmentRule


def with_rule(group: Group, rule: str, limit: int = 5) -> Group:
    group.assignment_rule, group.assignment_limit = rule, limit
    group.save()
    return group


def open_count(user) -> int:
    return Ticket.objects.filter(owner=user, closed_at__isnull=True).count()


@pytest.mark.spec("ROUTE-01", "ROUTE-03")
def test_waiting_tickets_in_small_batches_go_to_the_least_loaded_first_and_even_out(volunteers, monkeypatch):
    anna, ben, cleo = (make_agent(name, name[:2].upper(), groups=[volunteers]) for name in ("anna", "ben", "cleo"))
    busy = [make_ticket(volunteers) for _ in range(5)]
    for ticket in busy[:4]:
        do_assign_ticket(ticket, owner=cleo, acting_user=None)
    do_close_ticket(busy[4], acting_user=None)  # a closed ticket is no load
    waiting = [make_ticket(volunteers) for _ in range(8)]
    with_rule(volunteers, Rule.LEAST_LOAD)
    monkeypatch.setattr(assignment, "BATCH", 3)  # several batches for 8 tickets

    assert do_assign_waiting_tickets(volunteers) == 8

    assert [open_count(agent) for agent in (anna, ben, cleo)] == [4, 4, 4]
    owners = [Ticket.objects.get(pk=ticket.pk).owner for ticket in waiting]
    assert owners[:6].count(cleo) == 0  # cleo had 4: the 6 oldest went to the other two, in turn
    history = Activity.objects.filter(ticket__in=waiting, kind=ActivityKind.CHANGED)
    assert sorted(history.values_list("ticket_id", flat=True)) == sorted(ticket.pk for ticket in waiting)


@pytest.mark.spec("ROUTE-01", "ROUTE-03")
def test_waiting_tickets_in_batches_stop_at_the_limit_and_the_youngest_wait(volunteers, monkeypatch):
    anna, ben = make_agent("anna", "AN", groups=[volunteers]), make_agent("ben", "BE", groups=[volunteers])
    waiting = [make_ticket(volunteers) for _ in range(6)]
    with_rule(volunteers, Rule.LIMIT, limit=2)
    monkeypatch.setattr(assignment, "BATCH", 3)

    assert do_assign_waiting_tickets(volunteers) == 4

    owners = [Ticket.objects.get(pk=ticket.pk).owner_id for ticket in waiting]
    assert owners[4:] == [None, None]
    assert sorted(owners[:4]) == sorted([anna.pk, anna.pk, ben.pk, ben.pk])


@pytest.mark.spec("ROUTE-01", "ROUTE-03")
def test_waiting_tickets_nobody_can_take_are_not_read_again_at_each_routing(volunteers):
    """A group whose agents are all at the limit: routing (after every message of the intake)
    counts the candidates and stops, reading none of the waiting tickets. Shown to fail with the
    waiting tickets read before the candidates: each routing read the whole backlog for nothing."""
    anna = make_agent("anna", "AN", groups=[volunteers])
    with_rule(volunteers, Rule.LIMIT, limit=1)
    waiting = [make_ticket(volunteers) for _ in range(3)]
    assert do_assign_waiting_tickets(volunteers) == 1  # anna is at the limit now

    with CaptureQueriesContext(connection) as queries:
        assert do_assign_waiting_tickets(volunteers) == 0

    ticket_reads = [query["sql"] for query in queries.captured_queries if '"tickets_ticket"."number"' in query["sql"]]
    assert ticket_reads == []
    assert [Ticket.objects.get(pk=ticket.pk).owner_id for ticket in waiting] == [anna.pk, None, None]


@pytest.mark.spec("ROUTE-01")
@pytest.mark.postgres_only  # SQLite runs one writer at a time: no race to lose there
@pytest.mark.django_db(transaction=True)
def test_two_groups_sharing_agents_routing_their_queues_at_once_never_pass_the_limit(volunteers):
    """Shown to fail without the lock: with the candidates' ``select_for_update`` in ``_Pool``
    taken out, both batches count the agents' tickets before either commits, and each agent
    ends with 6 open tickets (limit 3) and 24 assigned instead of 12."""
    donations = do_create_group("Donations", acting_user=None)
    agents = [make_agent(f"agent{n}", f"A{n}", groups=[volunteers, donations]) for n in range(4)]
    waiting = {group.pk: [make_ticket(group) for _ in range(12)] for group in (volunteers, donations)}
    for group in (volunteers, donations):
        with_rule(group, Rule.LIMIT, limit=3)
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def route(group: Group) -> None:
        try:
            start.wait()
            do_assign_waiting_tickets(group)
        except BaseException as error:  # noqa: BLE001 (reported below)
            failures.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=route, args=(group,)) for group in (volunteers, donations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert [open_count(agent) for agent in agents] == [3, 3, 3, 3]
    tickets = [ticket.pk for group_tickets in waiting.values() for ticket in group_tickets]
    assert Ticket.objects.filter(pk__in=tickets, owner__isnull=False).count() == 12
    changes = Activity.objects.filter(ticket_id__in=tickets, kind=ActivityKind.CHANGED)
    assert changes.count() == 12  # each assigned once, never twice


@pytest.mark.spec("ROUTE-01")
@pytest.mark.postgres_only  # SQLite runs one writer at a time: no race to lose there
@pytest.mark.django_db(transaction=True)
def test_transactions_routing_at_once_against_a_limit_leave_each_agent_at_exactly_the_limit(volunteers):
    with_rule(volunteers, Rule.LIMIT, limit=3)
    agents = [make_agent(f"agent{n}", f"A{n}", groups=[volunteers]) for n in range(4)]
    batches = [[make_ticket(volunteers) for _ in range(4)] for _ in range(5)]  # 20 tickets, room for 12
    start = threading.Barrier(len(batches))
    failures: list[BaseException] = []

    def route(tickets: list[Ticket]) -> None:
        try:
            start.wait()
            with transaction.atomic(), batch_writes.batch():
                for ticket in tickets:
                    do_route_ticket(ticket)
        except BaseException as error:  # noqa: BLE001 (reported below)
            failures.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=route, args=(tickets,)) for tickets in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert [open_count(agent) for agent in agents] == [3, 3, 3, 3]
    assert Ticket.objects.filter(group=volunteers, owner__isnull=True).count() == 8


@pytest.mark.spec("ROUTE-01")
@pytest.mark.postgres_only  # the row locks are PostgreSQL's
@pytest.mark.django_db(transaction=True)
def test_routing_does_not_hold_up_another_transaction_that_names_one_of_its_candidates(volunteers):
    """PostgreSQL checks a foreign key to a user at commit with a key-share lock on the user's
    row. Routing's lock on its candidates must not block that: with FOR UPDATE it did, and in the
    load test two messages' jobs deadlocked (one committing notices to agents the other was
    routing to), their messages quarantined. Shown to fail with FOR UPDATE."""
    alice = make_agent("alice", "AL", groups=[volunteers])
    outcome: list[str] = []

    def name_alice() -> None:  # what a foreign key's check does at commit
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")
                cursor.execute("SELECT 1 FROM auth_user WHERE id = %s FOR KEY SHARE", [alice.pk])
            outcome.append("committed")
        except Exception as error:  # noqa: BLE001 (asserted below)
            outcome.append(f"{type(error).__name__}: {error}")
        finally:
            close_old_connections()

    with transaction.atomic():
        pool = assignment._Pool(volunteers, at_work_only=False)
        assert [member.user_id for member in pool.members] == [alice.pk]  # locked until this block ends
        other = threading.Thread(target=name_alice)
        other.start()
        other.join(timeout=30)
    assert outcome == ["committed"]
