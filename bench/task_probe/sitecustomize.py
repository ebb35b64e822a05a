"""Where a load run's worker CPU goes, job by job: with this folder on PYTHONPATH and PROBE_OUT
set, every Huey job a process runs appends a line to PROBE_OUT: process id, job name, the
thread's CPU ms, wall ms and SQL statements (bench/README.md, "Load"). For example

    PYTHONPATH=<tree>:bench/task_probe PROBE_OUT=/tmp/jobs.tsv DATABASE_URL=… REDIS_URL=… \\
        .venv/bin/python bench/load.py --short

then ``awk -F'\\t' '{n[$2]++; c[$2]+=$3; q[$2]+=$5} END {for (k in n) print k, n[k], c[k]/n[k], q[k]/n[k]}'``.
Python imports ``sitecustomize`` at start-up by itself; without PROBE_OUT this does nothing."""

import os
import threading
import time
from typing import Any

_out = os.environ.get("PROBE_OUT", "")
if _out:
    from huey.api import Huey

    _execute = Huey._execute
    _lock = threading.Lock()

    def _measured(self: Huey, task: Any, timestamp: Any) -> Any:
        from django.db import connection

        statements = [0]

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:  # noqa: FBT001 - Django's
            statements[0] += 1
            return execute(sql, params, many, context)

        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            with connection.execute_wrapper(count):
                return _execute(self, task, timestamp)
        finally:
            cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
            with _lock, open(_out, "a") as f:  # noqa: PTH123
                f.write(f"{os.getpid()}\t{task.name}\t{cpu * 1000:.2f}\t{wall * 1000:.2f}\t{statements[0]}\n")

    Huey._execute = _measured
