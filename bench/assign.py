"""Assignment: N new tickets given out among A agents by the least-load rule (ROUTE-01).

    .venv/bin/python bench/assign.py [-n 10000] [--agents 200] [--one-by-one]                  # SQLite, fresh
    DATABASE_URL=postgres://…/assign .venv/bin/python bench/assign.py [-n 10000] [--agents 200]  # PostgreSQL (emptied)

The tickets and the agents (ready, available) are made first (not timed). Then, by default, the
N waiting tickets are routed as the group's waiting tickets are (do_assign_waiting_tickets: an
agent becomes ready, the per-minute job): in batches of 500, each one transaction that locks the
candidates and counts their open tickets once. With --one-by-one each ticket is routed in its own
transaction, as the intake pipeline does for a new ticket: lock the candidates, count their open
tickets, pick, assign with its history entry. Prints the time, tickets per second, the queries of
the first and the last transaction (the same, one by one: the rule costs a fixed number of queries
per ticket, not one per agent or per ticket already assigned) and how evenly the tickets were
spread. The agents have no email address, so no notification is queued: this measures the rule.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SWITCHBOARD_DATA_DIR", tempfile.mkdtemp(prefix="switchboard-assign-"))

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from switchboard.tickets.actions import do_create_group  # noqa: E402
from switchboard.tickets.assignment import BATCH, do_assign_waiting_tickets, do_route_ticket  # noqa: E402
from switchboard.tickets.models import AgentProfile, Group, Membership, Ticket, TicketSource  # noqa: E402


def prepare(tickets: int, agents: int) -> Group:
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    group = do_create_group("Support", acting_user=None)
    group.assignment_rule = Group.AssignmentRule.LEAST_LOAD
    group.save()
    users = User.objects.bulk_create([User(username=f"agent{n}") for n in range(agents)])
    AgentProfile.objects.bulk_create(
        [
            AgentProfile(user=user, initials=f"A{n}", phone_state=AgentProfile.PhoneState.READY)
            for n, user in enumerate(users)
        ]
    )
    Membership.objects.bulk_create([Membership(user=user, group=group) for user in users])
    status = group.statuses.get(is_initial=True)
    Ticket.objects.bulk_create(
        [
            Ticket(number=n + 1, group=group, title=f"Ticket {n + 1}", status=status, source=TicketSource.EMAIL)
            for n in range(tickets)
        ],
        batch_size=1000,
    )
    return group


def route(ticket: Ticket) -> int:
    with CaptureQueriesContext(connection) as queries:
        do_route_ticket(ticket)
    return len(queries)


def one_by_one(group: Group) -> tuple[int, int]:
    tickets = list(Ticket.objects.filter(group=group).select_related("group").order_by("number"))
    first_queries = route(tickets[0])
    for ticket in tickets[1:-1]:
        do_route_ticket(ticket)
    return first_queries, route(tickets[-1])


def in_batches(group: Group) -> int:
    statements = 0

    def count(execute: Callable[..., object], sql: str, params: object, many: bool, context: object) -> object:  # noqa: FBT001
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        do_assign_waiting_tickets(group)
    return statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--one-by-one", action="store_true", help="each ticket in its own transaction (the intake)")
    options = parser.parse_args()
    group = prepare(options.n, options.agents)

    started = time.perf_counter()
    if options.one_by_one:
        first_queries, last_queries = one_by_one(group)
        how = "one by one, a transaction each"
        queries = f"queries per assignment: first {first_queries}, last {last_queries}"
    else:
        total = in_batches(group)
        how = f"waiting tickets in batches of {BATCH}, a transaction each"
        queries = f"queries: {total:,} in all, {total / options.n:.2f} per ticket"
    elapsed = time.perf_counter() - started

    loads = list(
        Ticket.objects.filter(owner__isnull=False).values("owner").annotate(n=Count("id")).values_list("n", flat=True)
    )
    print(f"database: {connection.vendor}; tickets: {options.n:,}; agents: {options.agents}; rule: least load")
    print(f"routed: {how}")
    each = elapsed / options.n * 1000
    print(f"time {elapsed:.1f} s: {options.n / elapsed:,.0f} tickets/s ({each:.2f} ms each)")
    print(queries)
    print(f"assigned {sum(loads):,}; per agent min {min(loads)}, max {max(loads)}")


if __name__ == "__main__":
    main()
