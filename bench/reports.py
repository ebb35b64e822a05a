"""Server time of the Reports page's figures (ADMIN-02), each selector on its own and the whole
page, as an administrator over every group.

    export SWITCHBOARD_DATA_DIR=/tmp/bench                 # a database of its own
    .venv/bin/switchboard manage migrate
    .venv/bin/switchboard seed-bench --tickets 100000 --seed 42
    .venv/bin/python bench/reports.py [--runs 7] [--days 30]

    # PostgreSQL, at larger sizes (1M tickets: the seed takes a while):
    createdb -h 127.0.0.1 -U postgres bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/switchboard manage migrate
    .venv/bin/switchboard seed-bench --tickets 1000000 --seed 42
    .venv/bin/python bench/reports.py

Each report runs ``--runs`` times after one warm-up; prints the median and the slowest in
milliseconds, the median CPU time of this process (with SQLite it includes the queries, with
PostgreSQL not the server's work; on a busy machine it moves far less than the wall time) and
the queries per run. The period is the last ``--days`` days (30 by default,
the page's default) and the whole of the last year (``--days 365``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from switchboard.tickets.models import Group, ReportAgentDay, ReportDay, Ticket  # noqa: E402
from switchboard.tickets.report_agent_selectors import get_agent_rows  # noqa: E402
from switchboard.tickets.report_day_builds import do_build_report_days  # noqa: E402
from switchboard.tickets.report_days import Split  # noqa: E402
from switchboard.tickets.report_selectors import (  # noqa: E402
    ReportFilter,
    get_service_levels,
    get_times,
    get_volume,
)


def measure(name: str, run: Callable[[], Any], runs: int) -> None:
    run()  # warm-up
    times, cpu = [], []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        queries = len(captured)
    median = statistics.median(times)
    flag = "  over 300 ms" if median > 300 else ""
    print(
        f"{name:<28} median {median:8.1f} ms   max {max(times):8.1f} ms   CPU {statistics.median(cpu):7.1f} ms"
        f"   {queries:3d} queries{flag}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--days", type=int, nargs="*", default=[30, 365])
    parser.add_argument("--build", action="store_true", help="build the daily summary first (timed)")
    parser.add_argument("--live", action="store_true", help="read every day live (the summary left aside)")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS.append("testserver")  # the test client's host name
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("bench-admin", "", "x")
    client = Client()
    client.force_login(admin)
    groups = tuple(Group.objects.values_list("pk", flat=True))
    print(f"{connection.vendor}: {Ticket.objects.count()} tickets in {len(groups)} groups, {args.runs} runs each")
    if args.build:
        start, start_cpu = time.perf_counter(), time.process_time()
        built = do_build_report_days(max_days=None)
        print(
            f"summary built: {len(built)} days in {time.perf_counter() - start:.1f} s"
            f" (CPU {time.process_time() - start_cpu:.1f} s), {ReportDay.objects.count()} day rows,"
            f" {ReportAgentDay.objects.count()} agent day rows"
        )
    until = timezone.localdate()
    for days in args.days:
        since = until - dt.timedelta(days=days - 1)
        report = ReportFilter(group_ids=groups, since=since, until=until, zone=timezone.get_current_timezone())
        if args.live:
            report.__dict__["split"] = report.__dict__["agents_split"] = Split((), ((report.start, report.end),))
        served = f"summary {len(report.split.summary)} days, live {len(report.split.live)} stretch(es)"
        print(f"\n{since} … {until} ({days} days), every group; {served}")
        params = {"since": since.isoformat(), "until": until.isoformat()}
        for name, run in runs_of(report, client, params).items():
            measure(name, run, args.runs)


def runs_of(report: ReportFilter, client: Client, params: dict[str, str]) -> dict[str, Callable[[], object]]:
    def csv() -> bytes:
        response: Any = client.get(reverse("report_csv", args=["agents"]), params)
        return b"".join(response.streaming_content)

    return {
        "volume and backlog": lambda: get_volume(report),
        "response times": lambda: get_times(report),
        "per agent": lambda: get_agent_rows(report),
        "service levels": lambda: get_service_levels(report),
        "the whole page": lambda: client.get(reverse("reports"), params),
        "agents CSV": csv,
    }


if __name__ == "__main__":
    main()
