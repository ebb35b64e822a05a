"""Server time of the agent's busiest pages: call center home, open tickets, the ticket page.

    .venv/bin/switchboard seed-bench --tickets 100000          # once, into the database below
    .venv/bin/python bench/pages.py [--runs 50]                 # SQLite in $SWITCHBOARD_DATA_DIR
    DATABASE_URL=postgres://… .venv/bin/python bench/pages.py   # PostgreSQL

Each page is requested in-process through Django's test client (the whole middleware, view,
selectors and template, no network), as the busiest agent: the one who owns the most open
tickets. Prints median and p95 milliseconds and the number of queries per page.
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


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    client.get(url)  # warm caches and connections
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    agent = (
        User.objects.filter(is_superuser=False)
        .annotate(open_owned=Count("owned_tickets", filter=Q(owned_tickets__closed_at__isnull=True)))
        .order_by("-open_owned")
        .first()
    )
    if agent is None:
        raise SystemExit("No agents: run `switchboard seed-bench --tickets 100000` first.")
    busiest = (
        Ticket.objects.filter(group__memberships__user=agent, closed_at__isnull=True)
        .annotate(entries=Count("activities"))
        .order_by("-entries")
        .first()
    )
    group = busiest.group if busiest else agent.memberships.first().group  # type: ignore[union-attr]
    settings.ALLOWED_HOSTS.append("testserver")  # the test client's host name
    client = Client()
    client.force_login(agent)
    pages = {"home": "/", "open tickets": f"/groups/{group.slug}/"}
    if busiest is not None:
        pages["ticket"] = f"/tickets/{busiest.number}/"
    pages.update(view_pages())

    print(
        f"database: {connection.vendor}; tickets: {Ticket.objects.count():,}; activities: {Activity.objects.count():,}"
    )
    print(f"agent: {agent.username}, {len(pages)} pages, {args.runs} runs each")
    print(f"{'page':<14}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    for name, url in pages.items():
        median, p95, queries = measure(client, url, args.runs)
        print(f"{name:<14}{median:>10.1f}{p95:>10.1f}{queries:>9}")


def view_pages() -> dict[str, str]:
    """The views across the agent's groups: the navbar's menu (every view's count), a view with
    a default order, and one narrowed by filters (seed 001's Calls with an Owner filter)."""
    return {
        "views menu": "/views/menu/",
        "needs reply": "/views/needs-reply/",
        "calls unowned": "/views/open/?source=phone&owner=none",
    }


if __name__ == "__main__":
    main()
