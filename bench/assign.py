"""Assignment: N new tickets given out one by one among A agents by the least-load rule (ROUTE-01).

    .venv/bin/python bench/assign.py [-n 10000] [--agents 200]                                # SQLite, fresh
    DATABASE_URL=postgres://…/assign .venv/bin/python bench/assign.py [-n 10000] [--agents 200]  # PostgreSQL (emptied)

The tickets and agents are made first (not timed); then each ticket is routed in its own
transaction, as the intake pipeline does for a new ticket: lock the candidates, count their open
tickets, pick, assign with its history entry. Prints the time, tickets per second, the queries of
the first and the last assignment (the same: the rule costs a fixed number of queries per ticket,
not one per agent or per ticket already assigned) and how evenly the tickets were spread. The
agents have no email address, so no notification is queued: this measures the rule.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
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
from switchboard.tickets.assignment import do_route_ticket  # noqa: E402
from switchboard.tickets.models import AgentProfile, Group, Membership, Ticket, TicketSource  # noqa: E402


def prepare(tickets: int, agents: int) -> Group:
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    group = do_create_group("Support", acting_user=None)
    group.assignment_rule = Group.AssignmentRule.LEAST_LOAD
    group.save()
    users = User.objects.bulk_create([User(username=f"agent{n}") for n in range(agents)])
    AgentProfile.objects.bulk_create([AgentProfile(user=user, initials=f"A{n}") for n, user in enumerate(users)])
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--agents", type=int, default=200)
    options = parser.parse_args()
    group = prepare(options.n, options.agents)
    tickets = list(Ticket.objects.filter(group=group).select_related("group").order_by("number"))

    started = time.perf_counter()
    first_queries = route(tickets[0])
    for ticket in tickets[1:-1]:
        do_route_ticket(ticket)
    last_queries = route(tickets[-1])
    elapsed = time.perf_counter() - started

    loads = list(
        Ticket.objects.filter(owner__isnull=False).values("owner").annotate(n=Count("id")).values_list("n", flat=True)
    )
    print(f"database: {connection.vendor}; tickets: {len(tickets):,}; agents: {options.agents}; rule: least load")
    each = elapsed / len(tickets) * 1000
    print(f"time {elapsed:.1f} s: {len(tickets) / elapsed:,.0f} tickets/s ({each:.2f} ms each)")
    print(f"queries per assignment: first {first_queries}, last {last_queries}")
    print(f"assigned {sum(loads):,}; per agent min {min(loads)}, max {max(loads)}")


if __name__ == "__main__":
    main()
