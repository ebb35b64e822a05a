"""The live path's job (LMTP, texts): its own message and the others waiting with it, each in a
transaction of its own, the per-job reads shared; never one applied twice, even by jobs at once.
Both it and the mailbox check's batches route after their commit."""

from __future__ import annotations

import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth.models import User
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext

from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.intake.waiting import do_apply_waiting_messages
from switchboard.mail.tests.test_mailboxes import mail
from switchboard.tickets.assignment import do_assign_waiting_tickets
from switchboard.tickets.models import Activity, ActivityKind, Group, Ticket
from switchboard.tickets.realtime import group_channel_group
from switchboard.tickets.tests.factories import make_agent

OUR_ADDRESSES = 'SELECT "tickets_group"."reply_address"'


def store(group: Group, count: int, *, prefix: str = "m") -> list[RawMessage]:
    data = [mail(f"Sender {n} <{prefix}{n}@example.org>", body=f"{prefix}{n}") for n in range(count)]
    return do_store_raw_messages([RawItem("email", f"lmtp:{prefix}{n}", item, group) for n, item in enumerate(data)])


def states(raws: list[RawMessage]) -> list[str]:
    by_key = dict(RawMessage.objects.filter(pk__in=[raw.pk for raw in raws]).values_list("pk", "state"))
    return [by_key[raw.pk] for raw in raws]


@pytest.mark.spec("MAIL-13")
@pytest.mark.django_db
def test_a_job_applies_its_message_and_the_others_waiting_each_on_its_own_and_the_later_jobs_find_theirs_done(
    volunteers, settings
):
    settings.INTAKE_BATCH_SIZE = 4
    raws = store(volunteers, 6)
    bad = do_store_raw_messages([RawItem("email", "lmtp:bad", b"", volunteers)])  # no sender: quarantined
    form = do_store_raw_messages([RawItem("web", "web:1", b"{}", volunteers)])  # left to its request

    with CaptureQueriesContext(connection) as queries:
        assert do_apply_waiting_messages([raws[3].pk]) == 4  # its own first, then the oldest others

    assert states(raws) == ["applied", "applied", "applied", "applied", "stored", "stored"]
    ours = [sql for query in queries.captured_queries if (sql := query["sql"]).startswith(OUR_ADDRESSES)]
    assert len(ours) == 1  # our addresses read once per job, not once per message
    assert do_apply_waiting_messages([raws[0].pk, raws[3].pk]) == 0  # applied: the job ends there

    assert do_apply_waiting_messages([bad[0].pk]) == 3
    assert states([*raws, *bad, *form]) == [*["applied"] * 6, "quarantined", "stored"]
    assert Activity.objects.filter(kind=ActivityKind.EMAIL_IN).count() == 6


@pytest.mark.spec("MAIL-13", "ROUTE-01")
@pytest.mark.postgres_only  # SQLite runs one writer at a time: no race to lose there
@pytest.mark.django_db(transaction=True)
def test_jobs_at_once_over_the_same_waiting_messages_of_two_groups_apply_each_once_and_route_by_least_load(
    volunteers, donations, settings
):
    """Four jobs (the workers' threads) take the same 40 waiting messages for two groups sharing
    their agents. Shown to fail without the lock: with ``select_for_update(skip_locked=True)``
    taken out of ``_apply_waiting``, jobs read a message as stored before another's commit and
    apply it again (duplicated timeline entries and tickets)."""
    settings.INTAKE_BATCH_SIZE = 40
    for group in (volunteers, donations):
        group.assignment_rule = Group.AssignmentRule.LEAST_LOAD
        group.save()
    agents = [make_agent(f"agent{n}", f"A{n}", groups=[volunteers, donations]) for n in range(4)]
    raws = store(volunteers, 20, prefix="v") + store(donations, 20, prefix="d")
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def job(own: list[int]) -> None:
        try:
            start.wait()
            do_apply_waiting_messages(own)
        except BaseException as error:  # noqa: BLE001 (reported below)
            failures.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=job, args=([raws[n].pk],)) for n in (0, 20, 1, 21)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert states(raws) == ["applied"] * 40
    bodies = list(Activity.objects.filter(kind=ActivityKind.EMAIL_IN).values_list("body", flat=True))
    assert sorted(bodies) == sorted([f"v{n}" for n in range(20)] + [f"d{n}" for n in range(20)])  # each once
    assert Ticket.objects.count() == 40
    loads = [Ticket.objects.filter(owner=agent).count() for agent in agents]
    assert sorted(loads) == [10, 10, 10, 10], loads  # least load, counted right under the races


@pytest.mark.spec("MAIL-13", "ROUTE-01")
@pytest.mark.postgres_only  # the row locks are PostgreSQL's
@pytest.mark.django_db(transaction=True)
def test_a_job_applies_its_messages_while_the_groups_agents_are_locked_and_routes_them_afterwards(volunteers):
    """The messages' transactions lock no agent: routing waits for the job's end, a transaction
    per group. Shown to fail with routing in each message's transaction (``later`` False in
    ``pipeline._apply``): every message waits for the agents' lock, times out and is quarantined."""
    volunteers.assignment_rule = Group.AssignmentRule.LEAST_LOAD
    volunteers.save()
    agents = [make_agent(f"agent{n}", f"A{n}", groups=[volunteers]) for n in range(2)]
    raws = store(volunteers, 4)
    failures: list[BaseException] = []

    def job() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '2s'")  # this session's: the thread's connection
            do_apply_waiting_messages([raws[0].pk])
        except BaseException as error:  # noqa: BLE001 (reported below)
            failures.append(error)
        finally:
            close_old_connections()

    with transaction.atomic():  # another routing, or an escalation, holds the agents meanwhile
        locked = User.objects.select_for_update(no_key=True).filter(pk__in=[agent.pk for agent in agents])
        assert len(list(locked.order_by("pk"))) == 2
        thread = threading.Thread(target=job)
        thread.start()
        thread.join(timeout=60)

    assert failures == []
    assert states(raws) == ["applied"] * 4  # not held up, none quarantined
    assert not Ticket.objects.filter(owner__isnull=False).exists()  # its routing timed out: they wait
    assert do_apply_waiting_messages([raws[0].pk]) == 0  # the next job for them has nothing to do
    do_assign_waiting_tickets(volunteers)  # as the per-minute job does
    assert sorted(Ticket.objects.filter(owner=agent).count() for agent in agents) == [2, 2]


@pytest.mark.spec("MAIL-13", "ROUTE-01")
@pytest.mark.postgres_only  # the row locks are PostgreSQL's
@pytest.mark.django_db(transaction=True)
def test_a_mailbox_batch_applies_its_messages_while_the_groups_agents_are_locked_and_routes_them_after(volunteers):
    """A mailbox check's batch (50 messages, perhaps of two groups) locks no agent: its tickets
    are routed after its commit, a group at a time, so it cannot deadlock with the live path's
    routing of another group. Shown to fail with routing in the batch's transaction
    (``later=False`` in ``pipeline._apply``): every message waits for the agents' lock, times
    out and is quarantined."""
    volunteers.assignment_rule = Group.AssignmentRule.LEAST_LOAD
    volunteers.save()
    agents = [make_agent(f"agent{n}", f"A{n}", groups=[volunteers]) for n in range(2)]
    raws = store(volunteers, 4)
    failures: list[BaseException] = []

    def check() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '2s'")  # this session's: the thread's connection
            do_apply_raw_messages(raws)
        except BaseException as error:  # noqa: BLE001 (reported below)
            failures.append(error)
        finally:
            close_old_connections()

    with transaction.atomic():  # a routing of the live path holds the agents meanwhile
        locked = User.objects.select_for_update(no_key=True).filter(pk__in=[agent.pk for agent in agents])
        assert len(list(locked.order_by("pk"))) == 2
        thread = threading.Thread(target=check)
        thread.start()
        thread.join(timeout=60)

    assert failures == []
    assert states(raws) == ["applied"] * 4  # not held up, none quarantined
    assert not Ticket.objects.filter(owner__isnull=False).exists()  # its routing timed out: they wait
    do_assign_waiting_tickets(volunteers)  # as the per-minute job does
    assert sorted(Ticket.objects.filter(owner=agent).count() for agent in agents) == [2, 2]


@pytest.mark.spec("CORE-06", "ROUTE-01")
@pytest.mark.django_db(transaction=True)  # live updates go out on commit
def test_a_job_pushes_each_ticket_it_made_once_with_its_owner(volunteers):
    """A job's commits (a ticket made in each message's transaction, its owner set by routing
    afterwards) reach the group's lists in one push at the job's end: each ticket once, as
    routed. Shown to fail without ``held_updates`` in the job: each ticket went out twice, first
    without its owner (and each push cost the worker a trip into the channel layer)."""
    volunteers.assignment_rule = Group.AssignmentRule.LEAST_LOAD
    volunteers.save()
    make_agent("agent", "AG", groups=[volunteers])
    raws = store(volunteers, 2)
    layer, lists = get_channel_layer(), group_channel_group(volunteers.pk)

    async def pushes() -> list[tuple[int, int, int | None]]:
        listener = await layer.new_channel()
        await layer.group_add(lists, listener)
        assert await sync_to_async(do_apply_waiting_messages)([raws[0].pk]) == 2
        await layer.group_send(lists, {"type": "test.end"})
        pushed = []
        while (event := await layer.receive(listener))["type"] != "test.end":
            pushed.append((event["ticket"], event["version"], event["owner"]))
        return pushed

    pushed = async_to_sync(pushes)()
    tickets = Ticket.objects.order_by("pk").values_list("pk", "version", "owner_id")
    assert sorted(pushed) == list(tickets)
    assert all(owner is not None for _ticket, _version, owner in pushed)
