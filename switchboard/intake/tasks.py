"""Jobs of the outbound pipeline."""

from __future__ import annotations

from django.conf import settings
from huey.api import Task
from huey.contrib.djhuey import db_task

from switchboard.intake import actions


@db_task(retries=settings.OUTBOUND_RETRIES, retry_delay=settings.OUTBOUND_RETRY_DELAY, context=True)
def send_outbound_message(message_id: int, task: Task | None = None) -> None:
    """Send one outbox message; Huey runs it again after a temporary failure."""
    actions.do_send_outbound_message(message_id, last_attempt=task is None or task.retries == 0)
