"""Service-level clocks (ROUTE-07), kept by the actions in their own transactions.

The actions call ``sync_clock`` whenever a ticket's status, group or open/closed state may have
changed, and ``note_answered`` when an agent answers the contact: the clock adds the business
time used since it last ran, then runs again (an open ticket in a kind that is not paused) with
new due moments, or stops. Nothing here rereads the history. Breaches are acted on by
service_level_actions.py, from a job.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.utils import timezone

from switchboard.tickets import batch_writes
from switchboard.tickets.business_hours import (
    Calendar,
    add_business_seconds,
    business_seconds_between,
    parse_ranges,
)
from switchboard.tickets.models import ServiceLevel, StatusKind, Ticket, TicketClock

# The kinds in which the clock stops: the next move is the contact's, or is planned.
PAUSED_KINDS = frozenset({StatusKind.WAITING_CONTACT, StatusKind.SCHEDULED, StatusKind.PENDING})
# A completed ticket is resolved, only not closed yet: its clock stops as a closed one's does.
STOPPED_KINDS = PAUSED_KINDS | {StatusKind.COMPLETED}


def calendar_of(level: ServiceLevel) -> Calendar:
    """The pure calendar of a group's service level (business_hours.py)."""
    week = tuple(parse_ranges(", ".join(f"{a}-{b}" for a, b in level.week.get(str(day), []))) for day in range(7))
    holidays = frozenset(dt.date.fromisoformat(day) for day in level.holidays)
    return Calendar(time_zone=level.time_zone, week=week, holidays=holidays)


def find_service_level(group_id: int) -> ServiceLevel | None:
    level = ServiceLevel.objects.filter(group_id=group_id).first()
    if level is None or (level.first_response_minutes is None and level.resolution_minutes is None):
        return None
    return level


def _target_due(
    calendar: Calendar, level: ServiceLevel, clock: TicketClock, now: dt.datetime, minutes: int | None
) -> tuple[dt.datetime, dt.datetime] | None:
    """When a target of ``minutes`` falls due and turns near, counting from ``now`` with the time
    the clock has used."""
    if minutes is None:
        return None
    due = add_business_seconds(calendar, now, minutes * 60 - clock.used_seconds)
    near = add_business_seconds(calendar, now, minutes * 60 * level.near_percent / 100 - clock.used_seconds)
    return due, min(near, due)


def sync_clock(ticket: Ticket, *, now: dt.datetime | None = None, new: bool = False) -> TicketClock | None:
    """Bring ``ticket``'s clock (saved by the caller in this transaction) up to date with its
    state: add the business time since it last ran; run again or stop. ``new``: the ticket was
    made just now (it has no clock yet)."""
    now = now or timezone.now()
    level = batch_writes.read_once(("service level", ticket.group_id), partial(find_service_level, ticket.group_id))
    if level is None and new:
        return None
    if level is None:  # no targets (any more): a clock that ran stops
        TicketClock.objects.filter(ticket=ticket, running_since__isnull=False).update(
            running_since=None, first_response_due_at=None, resolution_due_at=None, due_at=None, near_at=None
        )
        return None
    clock = None if new else TicketClock.objects.select_for_update().filter(ticket=ticket).first()
    if clock is None:
        clock = TicketClock(ticket=ticket)
    calendar = calendar_of(level)
    if clock.running_since is not None:
        clock.used_seconds += business_seconds_between(calendar, clock.running_since, now)
    if ticket.is_open and ticket.status.kind not in STOPPED_KINDS:
        clock.running_since = now
        first = (
            None if clock.first_responded_at else _target_due(calendar, level, clock, now, level.first_response_minutes)
        )
        resolution = _target_due(calendar, level, clock, now, level.resolution_minutes)
        clock.first_response_due_at = first[0] if first else None
        clock.resolution_due_at = resolution[0] if resolution else None
        clock.due_at, clock.near_at = first or resolution or (None, None)
    else:
        _stop(clock)
    clock.save()
    return clock


def _stop(clock: TicketClock) -> None:
    clock.running_since = None
    clock.first_response_due_at = clock.resolution_due_at = clock.due_at = clock.near_at = None


def note_answered(ticket: Ticket, *, now: dt.datetime | None = None) -> None:
    """The contact has had an answer: the first response is given (once), then the clock syncs."""
    now = now or timezone.now()
    level = find_service_level(ticket.group_id)
    if level is None:
        return
    clock, _created = TicketClock.objects.get_or_create(ticket=ticket)
    if clock.first_responded_at is None:
        used = clock.used_seconds
        if clock.running_since is not None:
            used += business_seconds_between(calendar_of(level), clock.running_since, now)
        TicketClock.objects.filter(pk=clock.pk).update(first_responded_at=now, first_response_seconds=used)
    sync_clock(ticket, now=now)
