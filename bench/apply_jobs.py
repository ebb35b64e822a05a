"""The live path's apply job in one process: CPU and statements per message, main's way against
this branch's, alternating in one run (bench/README.md, "Load").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sb_apply_jobs .venv/bin/python bench/apply_jobs.py [-n 200]

It DROPS the data of DATABASE_URL's database (flush), seeds `seed-bench --tickets 500 --agents 10
--groups 2` and sets the groups up as bench/load.py does (reply address, acknowledgement,
least-load routing). Then, in turns: N messages from new senders are stored (as LMTP stores
them, not timed) and applied as the queue runs their N jobs one after another, either
- "each": each job applies its own message in one transaction (``do_apply_raw_messages``; its
  routing was inside that transaction until 2026-12-06, after its commit since), or
- "waiting": `do_apply_waiting_messages` (intake/waiting.py): the first job takes the waiting ones
  too, each in its own transaction, routing after them a group at a time; the later jobs end at once.
Prints this process's CPU (the worker's part; PostgreSQL's is not counted) and statements per message.
Without REDIS_URL the live updates go to the in-memory channel layer, where a trip costs about a
tenth of one through Redis (results/2026-12-06-live.txt): set it (a db of your own) to count them
as the workers pay them. bench/live_job.py measures the workers' job of any tree on load.py's data.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SWITCHBOARD_DATA_DIR", tempfile.mkdtemp(prefix="switchboard-apply-jobs-"))
os.environ.setdefault("EMAIL_DELIVERY", "file")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from switchboard.intake.models import RawMessage  # noqa: E402
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages  # noqa: E402
from switchboard.intake.waiting import do_apply_waiting_messages  # noqa: E402
from switchboard.tickets.models import Group, Ticket  # noqa: E402


def prepare() -> list[Group]:
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("seed_bench", tickets=500, agents=10, groups=2, seed=42, verbosity=0)
    groups = list(Group.objects.order_by("pk"))
    for group in groups:
        group.reply_address = f"{group.slug}@load.example"
        group.autoresponder = True
        group.assignment_rule = Group.AssignmentRule.LEAST_LOAD
        group.assignment_limit = 50
        group.save()
    return groups


def store(groups: list[Group], count: int, turn: str) -> list[RawMessage]:
    items = []
    for n in range(count):
        group = groups[n % len(groups)]
        mail = EmailMessage()
        mail["From"] = f"Load Sender {n} <s{turn}-{n}@senders.example>"
        mail["To"] = group.reply_address
        mail["Subject"] = f"Question about my order {n}"
        mail["Date"] = formatdate()
        mail["Message-ID"] = make_msgid(idstring=f"{turn}-{n}", domain="load.example")
        mail.set_content(f"Hello,\n\nmy parcel has not arrived yet. Reference {turn}-{n}.\n\nThank you\n")
        items.append(RawItem("email", f"lmtp:{group.pk}:{turn}-{n}", mail.as_bytes(), group))
    return do_store_raw_messages(items)


def each(raws: list[RawMessage]) -> None:  # the older apply_raw_messages, one job per message
    for raw in raws:
        stored = RawMessage.objects.select_related("group").filter(pk__in=[raw.pk], state=RawMessage.State.STORED)
        do_apply_raw_messages(list(stored))


def waiting(raws: list[RawMessage]) -> None:
    for raw in raws:
        do_apply_waiting_messages([raw.pk])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=200, help="messages a turn")
    parser.add_argument("--turns", type=int, default=2, help="turns of each way")
    args = parser.parse_args()
    groups = prepare()
    print(f"{'way':10} {'messages':>8} {'cpu ms/msg':>10} {'wall ms/msg':>11} {'stmts/msg':>9} {'owned':>6}")
    for turn in range(args.turns):
        for name, apply in (("each", each), ("waiting", waiting)):
            raws = store(groups, args.n, f"{name}{turn}")
            connection.queries_log.clear()  # it keeps 9,000: counted from empty each turn
            cpu, wall = time.process_time(), time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                apply(raws)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            keys = [raw.pk for raw in raws]
            applied = RawMessage.objects.filter(pk__in=keys, state=RawMessage.State.APPLIED).count()
            owned = Ticket.objects.filter(pk__in=RawMessage.objects.filter(pk__in=keys).values("ticket_id"))
            print(
                f"{name:10} {applied:>8} {cpu * 1000 / args.n:>10.2f} {wall * 1000 / args.n:>11.2f}"
                f" {len(queries.captured_queries) / args.n:>9.1f} {owned.filter(owner__isnull=False).count():>6}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
