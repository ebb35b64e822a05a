"""Periodic webhook jobs that reach beyond this app (the send jobs are in jobs.py)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from switchboard.webhooks import jobs  # noqa: F401  registered with Huey here too
from switchboard.webhooks.disabling import do_disable_failing_endpoints


@db_periodic_task(crontab(minute="*/15"))
def disable_failing_webhook_endpoints() -> None:
    do_disable_failing_endpoints()
