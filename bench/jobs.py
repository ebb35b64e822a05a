"""Jobs per second of a real `switchboard worker` with nothing queued and with 100,000 queued.

    .venv/bin/python bench/jobs.py [-n 3000] [--queued 100000]                        # SqliteHuey (no REDIS_URL)
    REDIS_URL=redis://127.0.0.1:6379/N .venv/bin/python bench/jobs.py [-n 3000] ...   # Redis (the scaled form)

The job is the project's own `assign_waiting_tickets` for a group that assigns nobody: it reads
the group and returns 0, so the queue itself is what is measured. For each depth D (0, then
--queued): D + N jobs are queued with no worker running (the time of queueing is printed: the
web side's cost), then `switchboard worker` is started (2 threads, no scheduler, as deployed) and
timed from its first job until the queue is back at D: N jobs run with D still waiting behind
them. The worker is stopped and the queue emptied between depths. Also printed: how many job
results the queue keeps (Huey stores every job's return value until someone reads it).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SWITCHBOARD_DATA_DIR", tempfile.mkdtemp(prefix="switchboard-jobs-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from huey.contrib.djhuey import HUEY  # noqa: E402

from switchboard.tickets.actions import do_create_group  # noqa: E402
from switchboard.tickets.models import Group  # noqa: E402
from switchboard.tickets.tasks import assign_waiting_tickets  # noqa: E402

POLL = 0.05  # seconds between looks at the queue's length


def queue(count: int, group_id: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        assign_waiting_tickets(group_id)
    return time.perf_counter() - started


def run_until(depth: int) -> tuple[int, float]:
    """Start a worker; from its first job until ``depth`` jobs are left: how many ran, in how
    many seconds. The worker is stopped after."""
    total = HUEY.pending_count()
    command = [str(Path(sys.executable).parent / "switchboard"), "worker"]
    worker = subprocess.Popen(command, env=dict(os.environ, SCHEDULER="0"), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603 (ours)
    try:
        while (first := HUEY.pending_count()) >= total:
            time.sleep(POLL)
        started = time.perf_counter()
        while HUEY.pending_count() > depth:
            time.sleep(POLL)
        return first - depth, time.perf_counter() - started
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=3000, help="jobs timed at each depth")
    parser.add_argument("--queued", type=int, default=100_000, help="the deep queue's depth")
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    group = Group.objects.filter(slug="jobs-bench").first() or do_create_group("Jobs bench", acting_user=None)
    Group.objects.filter(pk=group.pk).update(assignment_rule=Group.AssignmentRule.NONE)
    storage = type(HUEY.storage).__name__
    print(f"queue: {type(HUEY).__name__} ({storage}); job: assign_waiting_tickets of a group that assigns nobody")
    HUEY.flush()
    for depth in (0, options.queued):
        queued = queue(depth + options.n, group.pk)
        print(f"queued {depth + options.n:,} jobs in {queued:.1f} s: {(depth + options.n) / queued:,.0f} jobs/s")
        ran, elapsed = run_until(depth)
        print(f"with {depth:,} queued behind: {ran:,} jobs run in {elapsed:.1f} s: {ran / elapsed:,.0f} jobs/s")
        print(f"job results kept in the queue's store: {HUEY.storage.result_store_size():,}")
        HUEY.flush()


if __name__ == "__main__":
    main()
