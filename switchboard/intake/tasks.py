"""Jobs of the intake and outbound pipelines."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.api import Task
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from switchboard.intake import actions


@db_task(retries=settings.OUTBOUND_RETRIES, retry_delay=settings.OUTBOUND_RETRY_DELAY, context=True)
def send_outbound_message(message_id: int, task: Task | None = None) -> None:
    """Send one outbox message; Huey runs it again after a temporary failure."""
    actions.do_send_outbound_message(message_id, last_attempt=task is None or task.retries == 0)


@db_task()
def apply_raw_messages(raw_message_ids: list[int]) -> None:
    """Apply messages an adapter stored (LMTP, webhooks) to tickets, and others waiting with them
    (``do_apply_waiting_messages``: a message a transaction)."""
    from switchboard.intake.waiting import do_apply_waiting_messages  # the pipeline imports the ticket

    do_apply_waiting_messages(raw_message_ids)  # actions, which import this module


@db_periodic_task(crontab(minute="*"))
def apply_forgotten_messages() -> None:
    """Messages stored but not applied a few minutes later (their job was lost with a process)."""
    from switchboard.intake.models import RawMessage

    before = timezone.now() - dt.timedelta(minutes=3)
    try:
        with HUEY.lock_task("apply-forgotten-messages"):
            ids = list(
                RawMessage.objects.filter(state=RawMessage.State.STORED, received_at__lt=before)
                .order_by("pk")
                .values_list("pk", flat=True)[:1000]
            )
            if ids:
                apply_raw_messages.call_local(ids)
    except TaskLockedException:
        return
