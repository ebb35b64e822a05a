"""Background jobs of the tickets app: thin wrappers that call one action."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from switchboard.tickets.actions import do_purge_expired_tickets
from switchboard.tickets.models import Group

logger = logging.getLogger(__name__)


@db_task()
def purge_expired_tickets(group_id: int) -> int:
    group = Group.objects.filter(pk=group_id, retention_days__isnull=False).first()
    if group is None:
        return 0
    deleted = do_purge_expired_tickets(group)
    if deleted:
        logger.info("retention: deleted %d closed ticket(s) of group %s", deleted, group.slug)
    return deleted


@db_periodic_task(crontab(minute="17", hour="3"))
def purge_expired_tickets_daily() -> None:
    """Every night, one job per group with a retention period (so one slow group holds up no other)."""
    for group_id in Group.objects.filter(retention_days__isnull=False).values_list("pk", flat=True):
        purge_expired_tickets(group_id)
