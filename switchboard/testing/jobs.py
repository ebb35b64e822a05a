"""Periodic jobs as the job consumer's scheduler runs them: at the current time (which a test
sets with time-machine), every periodic task whose schedule says so is enqueued; in the tests'
immediate mode it runs at once, in the test's thread and database."""

from __future__ import annotations

import datetime as dt

from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY


def run_periodic_jobs(*names: str) -> list[str]:
    """Enqueue the periodic tasks among ``names`` that are due now, as the scheduler would each
    minute; returns the names of those that ran."""
    autodiscover_modules("tasks")  # as `switchboard worker` does: every app's jobs are known
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None) if HUEY.utc else dt.datetime.now()  # noqa: DTZ005 (Huey's own choice)
    due = [task for task in HUEY.read_periodic(now) if task.name in names]
    for task in due:
        HUEY.enqueue(task)
    return [task.name for task in due]
