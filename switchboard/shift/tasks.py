"""Background jobs of the shift: thin wrappers that call one action."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from switchboard.shift.clock import do_close_forgotten_shifts
from switchboard.shift.queue_reports import do_mark_missed_reports, do_open_due_reports
from switchboard.shift.schedule import do_send_week_schedules

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/5"))
def close_forgotten_shifts() -> None:
    """Every five minutes: shifts nobody clocked out of, closed at their group's shift length (AGENT-05)."""
    closed = do_close_forgotten_shifts()
    if closed:
        logger.info("time clock: %d forgotten shift(s) closed", closed)


@db_periodic_task(crontab(minute="*"))
def open_due_queue_reports() -> None:
    """Every minute: the queue reports that have come due, pushed to their agents (PHONE-08)."""
    if pushed := do_open_due_reports():
        logger.info("queue reports: %d asked for", pushed)


@db_periodic_task(crontab(minute="*"))
def mark_missed_queue_reports() -> None:
    """Every minute: reports unfiled five minutes after their time alert the managers (PHONE-08)."""
    if told := do_mark_missed_reports():
        logger.info("queue reports: %d missed", told)


@db_periodic_task(crontab(day_of_week="0", hour="17", minute="0"))
def send_queue_report_schedules() -> None:
    """Sunday evening: next week's queue report schedule to every group's managers and agents."""
    logger.info("queue reports: %d schedule email(s)", do_send_week_schedules())
