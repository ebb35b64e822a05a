"""The live path's job as the workers run it (``tasks.apply_raw_messages``), on bench/load.py's
data, in one process: CPU, statements and Python function calls per job. It names no internal
function, so the same script measures any tree (bench/README.md, "Load"):

    PYTHONPATH=<tree> DATABASE_URL=postgres://postgres@127.0.0.1:5432/sb_live_job \\
        REDIS_URL=redis://127.0.0.1:6379/<db> .venv/bin/python bench/live_job.py [-n 100] [--profile FILE]

It DROPS the data of DATABASE_URL's database (flush), seeds as load.py's short form does
(`seed-bench --tickets 2000 --agents 10 --groups 2`, the groups' reply addresses,
acknowledgements and least-load routing), then stores one message from a new sender at a time,
as LMTP does, and runs its job: -n jobs one after another, the first 5 not counted (the first
routes the seeded backlog). With REDIS_URL the live updates go through Redis as in load.py (its
db is emptied at the end). --profile writes a cProfile of CPU time (calls are the steady figure).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from collections import Counter
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH's tree: it names the tree measured
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SWITCHBOARD_DATA_DIR", tempfile.mkdtemp(prefix="switchboard-live-job-"))
os.environ.setdefault("EMAIL_DELIVERY", "file")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from switchboard.intake import tasks  # noqa: E402
from switchboard.intake.models import RawMessage  # noqa: E402
from switchboard.intake.pipeline import RawItem, do_store_raw_messages  # noqa: E402
from switchboard.tickets.models import Group, Ticket  # noqa: E402

WARM_UP = 5


def prepare(tickets: int) -> list[Group]:
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("seed_bench", tickets=tickets, agents=10, groups=2, seed=42, verbosity=0)
    for group in Group.objects.order_by("pk"):
        group.reply_address = f"{group.slug}@load.example"
        group.autoresponder = True
        group.assignment_rule = Group.AssignmentRule.LEAST_LOAD
        group.assignment_limit = 50
        group.save()
    return list(Group.objects.order_by("pk"))


def store(groups: list[Group], n: int, run: str) -> list[RawMessage]:
    group = groups[n % len(groups)]
    mail = EmailMessage()
    mail["From"] = f"Load Sender {n} <sender{n}.{run}@customers.load.example>"
    mail["To"] = group.reply_address
    mail["Subject"] = f"Question about my order {n}"
    mail["Date"] = formatdate()
    mail["Message-ID"] = make_msgid(idstring=f"{run}-{n}", domain="load.example")
    mail.set_content(f"Hello,\n\nmy parcel has not arrived yet. Reference LOADMARK-{run}-{n}.\n\nThank you\n")
    return do_store_raw_messages([RawItem("email", f"lmtp:{group.pk}:{run}-{n}", mail.as_bytes(), group)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=100, help="jobs counted")
    parser.add_argument("--tickets", type=int, default=2000, help="tickets seeded")
    parser.add_argument("--profile", help="write a cProfile (CPU time) of the counted jobs to this file")
    args = parser.parse_args()
    groups = prepare(args.tickets)
    run = os.urandom(3).hex()
    statements = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:  # noqa: FBT001 - Django's
        statements[0] += 1
        return execute(sql, params, many, context)

    profile = cProfile.Profile(time.process_time) if args.profile else None
    per_job: Counter[int] = Counter()
    cpu = 0.0
    for n in range(WARM_UP + args.n):
        raws = store(groups, n, run)
        statements[0] = 0
        start = time.process_time()
        with connection.execute_wrapper(count):
            if profile is not None and n >= WARM_UP:
                profile.enable()
            tasks.apply_raw_messages.call_local([raw.pk for raw in raws])
            if profile is not None:
                profile.disable()
        if n >= WARM_UP:
            cpu += time.process_time() - start
            per_job[statements[0]] += 1
    applied = RawMessage.objects.filter(state=RawMessage.State.APPLIED, ticket__owner__isnull=False).count()
    mean = sum(k * v for k, v in per_job.items()) / args.n
    print(f"jobs {args.n}: cpu {cpu * 1000 / args.n:.2f} ms a job, statements {mean:.1f} a job {dict(per_job)}")
    print(f"applied with an owner: {applied} of {WARM_UP + args.n}; unowned open tickets left:", end=" ")
    print(Ticket.objects.filter(owner__isnull=True, closed_at__isnull=True).count())
    if profile is not None:
        profile.dump_stats(args.profile)
        print(f"function calls a job: {pstats.Stats(profile).total_calls / args.n:.0f}")  # type: ignore[attr-defined]
    if settings.REDIS_URL:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).flushdb()  # the jobs queued meanwhile (notices) run nowhere
    return 0


if __name__ == "__main__":
    sys.exit(main())
