"""The webhooks' send jobs. Imported by the outbox, so only this app's low modules and core."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from switchboard.webhooks.sending import do_send_delivery, due_deliveries


@db_task()
def send_webhook_delivery(delivery_id: int) -> None:
    do_send_delivery(delivery_id)


@db_periodic_task(crontab(minute="*"))
def send_due_webhook_deliveries() -> None:
    """Retries whose wait is over, a job each (the claim in the job keeps each to one send)."""
    try:
        with HUEY.lock_task("send-due-webhook-deliveries"):
            for delivery_id in due_deliveries():
                send_webhook_delivery(delivery_id)
    except TaskLockedException:
        return
