"""Background jobs of the tickets app: thin wrappers that call one action."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from switchboard.tickets import agent_states, assignment, report_day_builds
from switchboard.tickets.actions import do_purge_expired_tickets
from switchboard.tickets.callbacks import do_notify_due_callbacks
from switchboard.tickets.models import Group, Membership
from switchboard.tickets.service_level_actions import do_apply_service_level_breaches

logger = logging.getLogger(__name__)


@db_task()
def purge_expired_tickets(group_id: int) -> int:
    """Delete the group's expired closed tickets; the count waits in Huey's result store until it is
    read (the worker test reads it): one value a group a night."""
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


@db_task()
def assign_waiting_tickets(group_id: int) -> None:
    """Give the group's waiting tickets to agents who have room (ROUTE-03). Nothing reads a job's
    value back, and Huey would keep it in its result store for good: these jobs return none."""
    group = Group.objects.filter(pk=group_id).first()
    if group is not None:
        assignment.do_assign_waiting_tickets(group)


@db_task()
def assign_waiting_tickets_for(user_id: int) -> None:
    """An agent has room again (closed a ticket): their groups' waiting tickets, at once."""
    memberships = Membership.objects.filter(
        user_id=user_id,
        available=True,
        level=Membership.Level.FIRST,
        group__assignment_rule__in=assignment.AUTOMATIC_RULES,
    )
    for group_id in memberships.values_list("group_id", flat=True):
        assign_waiting_tickets(group_id)


@db_periodic_task(crontab(minute="*"))
def assign_waiting_tickets_every_minute() -> None:
    """The timer behind the triggers: every group whose rule assigns and that has waiting tickets."""
    waiting = Group.objects.filter(
        assignment_rule__in=assignment.AUTOMATIC_RULES,
        tickets__owner__isnull=True,
        tickets__closed_at__isnull=True,
    ).distinct()
    for group_id in waiting.values_list("pk", flat=True):
        assign_waiting_tickets(group_id)


@db_periodic_task(crontab(minute="*"))
def reassign_unopened_tickets() -> None:
    """Tickets their new owners have not opened in their group's time go to the next agent."""
    groups = Group.objects.filter(
        reassign_unopened_minutes__isnull=False, assignment_rule__in=assignment.AUTOMATIC_RULES
    )
    for group in groups:
        moved = assignment.do_reassign_unopened_tickets(group)
        if moved:
            logger.info("routing: %d unopened ticket(s) of group %s passed on", moved, group.slug)


@db_periodic_task(crontab(minute="*"))
def notify_due_callbacks() -> None:
    """Every minute: the agents whose callbacks have come due since the last run hear it live (CC-03)."""
    told = do_notify_due_callbacks()
    if told:
        logger.info("callbacks: %d due callback(s) told", told)


@db_task()
def end_wrap_up(user_id: int) -> None:
    """The agent's wrap-up time is over (scheduled when it began): ready again (PHONE-09)."""
    agent_states.do_end_wrap_ups(user_id=user_id)


@db_periodic_task(crontab(minute="*"))
def end_wrap_ups() -> None:
    """Every minute, the safety net behind the scheduled ends: every wrap-up that is over."""
    ended = agent_states.do_end_wrap_ups()
    if ended:
        logger.info("phone states: %d wrap-up(s) ended late", ended)


@db_periodic_task(crontab(minute="*"))
def apply_service_level_breaches() -> None:
    """Every minute: tickets newly past a service-level target get their group's rule, once (ROUTE-07)."""
    applied = do_apply_service_level_breaches()
    if applied:
        logger.info("service levels: %d breach(es) acted on", applied)


@db_periodic_task(crontab(minute="*/5"))
def build_report_days() -> None:
    """Every 5 minutes: the reports' daily summary, for the days changed since their build and the
    past days not built yet (ADMIN-02; at most 60 days a run, newest first)."""
    built = report_day_builds.do_build_report_days()
    if built:
        logger.info("reports: %d day(s) summarised, %s … %s", len(built), built[-1], built[0])
