"""Jobs per second of a real `switchboard worker` with nothing queued and with 100,000 queued.

    .venv/bin/python bench/jobs.py [-n 3000] [--queued 100000]                        # SqliteHuey (no REDIS_URL)
    REDIS_URL=redis://127.0.0.1:6379/N .venv/bin/python bench/jobs.py [-n 3000] ...   # Redis (the scaled form)

The job is the project's own `assign_waiting_tickets` for a group that assigns nobody: it reads
the group and returns 0, so the queue itself is what is measured. For each depth D (0, then
--queued): D jobs are written to the queue in bulk, then N more queued one by one as the web
side does (timed: the request's cost), then `switchboard worker` is started (2 threads, no
scheduler, as deployed) and timed from its first job until the queue is back at D: N jobs run
with D still waiting behind them. The worker is stopped and the queue emptied between depths. Also printed: how many job
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
from huey.storage import SqliteStorage  # noqa: E402

from switchboard.tickets.actions import do_create_group  # noqa: E402
from switchboard.tickets.models import Group  # noqa: E402
from switchboard.tickets.tasks import assign_waiting_tickets  # noqa: E402

POLL = 0.05  # seconds between looks at the queue's length


def queue(count: int, group_id: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        assign_waiting_tickets(group_id)
    return time.perf_counter() - started


def fill(count: int, group_id: int) -> None:
    """``count`` more of the same jobs, written in bulk (queueing 100,000 one by one on SQLite
    takes minutes and is timed on its own above)."""
    messages = [HUEY.serialize_task(assign_waiting_tickets.s(group_id)) for _ in range(count)]
    storage = HUEY.storage
    if isinstance(storage, SqliteStorage):
        with storage.db(commit=True) as cursor:
            cursor.executemany(
                "insert into task (queue, data, priority) values (?, ?, 0)", [(storage.name, m) for m in messages]
            )
    else:
        pipe = storage.conn.pipeline()
        for message in messages:
            pipe.lpush(storage.queue_key, message)
        pipe.execute()


def run_until(depth: int) -> tuple[int, float]:
    """Start a worker; from its first job until ``depth`` jobs are left: how many ran, in how
    many seconds. The worker is stopped after."""
    total = HUEY.pending_count()
    command = [str(Path(sys.executable).parent / "switchboard"), "worker"]
    env, quiet = dict(os.environ, SCHEDULER="0"), subprocess.DEVNULL
    worker = subprocess.Popen(command, env=env, cwd=ROOT, stdout=quiet, stderr=quiet)  # noqa: S603 (ours)
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
        fill(depth, group.pk)
        queued = queue(options.n, group.pk)
        print(f"with {depth:,} queued: {options.n:,} more queued in {queued:.1f} s: {options.n / queued:,.0f} jobs/s")
        ran, elapsed = run_until(depth)
        print(f"with {depth:,} queued behind: {ran:,} jobs run in {elapsed:.1f} s: {ran / elapsed:,.0f} jobs/s")
        print(f"job results kept in the queue's store: {HUEY.storage.result_store_size():,}")
        HUEY.flush()


if __name__ == "__main__":
    main()
