"""Server time of "similar tickets" (AGENT-04): the ticket page's Similar tab, fetched when the
agent opens it, at the data size of the database (100k tickets: ``switchboard seed-bench``).

    .venv/bin/switchboard seed-bench --tickets 100000 --seed 42           # once (bench/README.md)
    .venv/bin/python bench/similar_tickets.py [--runs 100]                # SQLite in $SWITCHBOARD_DATA_DIR
    DATABASE_URL=postgres://… .venv/bin/python bench/similar_tickets.py  # PostgreSQL

Each run requests ``/tickets/<number>/similar/`` in-process through Django's test client (the
whole middleware, view, selector and template, no network) for another open ticket, taken in
turn from the agent's groups: the words and so the matches differ from run to run. Measured as
the agent who owns the most open tickets (a few groups) and as an administrator (every group).
Prints median and p95 milliseconds, the median CPU time of this process, the queries of one
request and how many similar tickets were shown on average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from switchboard.tickets.models import Activity, Ticket  # noqa: E402


def measure(agent: User, numbers: list[int], runs: int) -> tuple[float, float, float, int, float]:
    client = Client()
    client.force_login(agent)
    client.get(f"/tickets/{numbers[0]}/similar/")  # warm caches and connections
    timings, cpu, shown = [], [], []
    for run in range(runs):
        number = numbers[run % len(numbers)]
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(f"/tickets/{number}/similar/")
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.status_code
        shown.append(response.content.count(b"data-similar="))
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/tickets/{numbers[0]}/similar/")
    timings.sort()
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    return statistics.median(timings), p95, statistics.median(cpu), len(queries), statistics.mean(shown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()

    agent = (
        User.objects.filter(is_superuser=False)
        .annotate(open_owned=Count("owned_tickets", filter=Q(owned_tickets__closed_at__isnull=True)))
        .order_by("-open_owned")
        .first()
    )
    if agent is None:
        raise SystemExit("No agents: run `switchboard seed-bench --tickets 100000` first.")
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-admin", "bench-admin@example.test", None
    )
    numbers = list(
        Ticket.objects.filter(group__memberships__user=agent, closed_at__isnull=True)
        .order_by("-number")
        .values_list("number", flat=True)[:50]
    )
    settings.ALLOWED_HOSTS.append("testserver")  # the test client's host name
    print(
        f"database: {connection.vendor}; tickets: {Ticket.objects.count():,}; activities: {Activity.objects.count():,}"
    )
    print(f"{len(numbers)} open tickets in turn, {args.runs} runs each")
    print(f"{'as':<28}{'median ms':>10}{'p95 ms':>10}{'cpu ms':>10}{'queries':>9}{'shown':>7}")
    for label, user in [(f"agent {agent.username}", agent), ("administrator", admin)]:
        median, p95, cpu, queries, shown = measure(user, numbers, args.runs)
        print(f"{label:<28}{median:>10.1f}{p95:>10.1f}{cpu:>10.1f}{queries:>9}{shown:>7.1f}")


if __name__ == "__main__":
    main()
