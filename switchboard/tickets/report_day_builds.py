"""The reports' daily summary, written (ADMIN-02): the job that counts each past day once, and the
marks that send a day back to it when a change moves its figures. What the summary holds and
how the reports read it: tickets/report_days.py.

Kept up to date incrementally, never by rereading everything:

- ``do_build_report_days`` (a job every few minutes, tickets/tasks.py) builds the days marked
  stale and the past days not built yet, newest first, at most ``max_days`` a run (the first
  build fills the history over a few runs). A day's build reads only that day's tickets (created
  or closed that day), answers and handle times, off their indexes. Then each past month all of
  whose days are built is summed from its day rows; building a day again sums its month again.
- Every change happens now, so it can only move the figures of the days of the ticket as it
  was: the day it was created, the day it was closed (before a reopen or a merge), and, when it
  moves to another group, channel or category or is merged, the days of its answers. The
  actions mark those days stale (``mark_ticket_days_stale``) in their own transaction: in
  ``record_activity`` (every history entry and escalation), in the reopen and the merge before
  they clear or set the close, in the first answer, in the assignment batches and in the purge of
  expired tickets. A change of a status's kind moves the days its tickets were closed on
  (``mark_status_days_stale``, in the statuses' edit). Today is never built (read live), so a
  new ticket, answer or close marks nothing.
- A day marked while it is being built stays marked (the mark is a row of its own, removed by
  the build before it reads), and is built again at the next run.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, FloatField, Min, PositiveIntegerField, Q, Sum
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from switchboard.tickets.models import Activity, ActivityKind, Group, HandleTime, Status, StatusKind, Ticket
from switchboard.tickets.models.reports import (
    BUCKETS,
    DAY,
    MONTH,
    ReportAgentDay,
    ReportBuiltDay,
    ReportBuiltMonth,
    ReportDay,
    ReportStaleDay,
)
from switchboard.tickets.report_days import bucket_of, day_bounds, month_length, organisation_zone
from switchboard.tickets.report_selectors import with_first_response, with_resolution

# The annotation last (with_resolution's).
CLOSED_FIELDS = ("group_id", "source", "category_id", "owner_id", "status__kind", "resolution")
MOVES = frozenset({"group", "source", "category"})
MARKING_KINDS = ActivityKind.history_kinds() | {ActivityKind.ESCALATION}


def _day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localdate(moment, timezone=organisation_zone())


def mark_days_stale(moments: Iterable[dt.datetime | None]) -> None:
    """Mark the organisation's days of ``moments`` stale, those before today (one query, or none)."""
    _mark_stale(day for day in map(_day, moments) if day is not None)


def _mark_stale(days: Iterable[dt.date]) -> None:
    today = timezone.localdate(timezone=organisation_zone())
    if past := {day for day in days if day < today}:
        ReportStaleDay.objects.bulk_create([ReportStaleDay(day=day) for day in past], ignore_conflicts=True)


def mark_ticket_days_stale(tickets: Iterable[Ticket], *, answers: bool = False) -> None:
    """A change to ``tickets`` (as they stand, before it where it clears or sets a close): the
    days they were created and closed, and with ``answers`` the days of their answers."""
    tickets = list(tickets)
    moments = [moment for ticket in tickets for moment in (ticket.created_at, ticket.closed_at)]
    if answers:
        moments += Activity.objects.filter(
            ticket__in=tickets, kind__in=ActivityKind.answer_kinds(), actor__isnull=False
        ).values_list("created_at", flat=True)
    mark_days_stale(moments)


def mark_status_days_stale(status: Status) -> None:
    """A status's kind changed (an administrator's edit): the days its tickets were closed on. A
    day counts a close by the kind of its status (closed with success, success cancelled); nothing
    else the summary holds depends on a status's kind. The days are read in SQL, one per row."""
    closed = Ticket.objects.filter(status=status, closed_at__isnull=False)
    days = closed.annotate(day=TruncDate("closed_at", tzinfo=organisation_zone())).values_list("day", flat=True)
    _mark_stale(days.order_by().distinct())


def note_activity(ticket: Ticket, kind: str, changes: list[dict[str, str]] | None) -> None:
    """``record_activity``'s mark: a history entry or an escalation moves the ticket's days."""
    if kind in MARKING_KINDS:
        moved = kind == ActivityKind.MERGED or any(change["field"] in MOVES for change in changes or ())
        mark_ticket_days_stale([ticket], answers=moved)


# --- the job ----------------------------------------------------------------------------------


def days_to_build(max_days: int | None = None) -> list[dt.date]:
    """The stale days and the past days not built yet (from the first ticket's), newest first."""
    zone = organisation_zone()
    today = timezone.localdate(timezone=zone)
    first = Ticket.objects.aggregate(first=Min("created_at"))["first"]
    if first is None:
        return []
    built = set(ReportBuiltDay.objects.values_list("day", flat=True))
    stale = set(ReportStaleDay.objects.filter(day__lt=today).values_list("day", flat=True))
    day, missing = _day(first), set()
    day = day.replace(day=1) if day else None  # whole months, to be summed as such
    while day is not None and day < today:
        if day not in built:
            missing.add(day)
        day += dt.timedelta(days=1)
    return sorted(missing | stale, reverse=True)[:max_days]


def do_build_report_days(max_days: int | None = 60) -> list[dt.date]:
    """Build the days to build, each in its own transaction, then the months all of whose days
    are built; returns the days."""
    days = days_to_build(max_days)
    for day in days:
        build_day(day)
    for month in months_to_build():
        build_month(month)
    return days


def months_to_build() -> list[dt.date]:
    """The past months (their first days) not summed since their days were built."""
    today = timezone.localdate(timezone=organisation_zone())
    built = set(
        ReportBuiltDay.objects.exclude(day__in=ReportStaleDay.objects.values("day")).values_list("day", flat=True)
    )
    done = set(ReportBuiltMonth.objects.values_list("month", flat=True))
    return [
        first
        for first in sorted({day.replace(day=1) for day in built} - done)
        if first + dt.timedelta(days=month_length(first)) <= today
        and all(first.replace(day=n) in built for n in range(1, month_length(first) + 1))
    ]


@transaction.atomic
def build_month(first: dt.date) -> None:
    """Sum a month's day rows into its MONTH rows, and mark it built."""
    _sum_month(ReportDay, first, ("group_id", "source", "category_id"))
    _sum_month(ReportAgentDay, first, ("group_id", "agent_id"))
    ReportBuiltMonth.objects.update_or_create(month=first, defaults={"built_at": timezone.now()})


@transaction.atomic
def build_day(day: dt.date) -> None:
    """Count one day again: its ``ReportDay`` and ``ReportAgentDay`` rows, and mark it built."""
    ReportStaleDay.objects.filter(day=day).delete()  # a change from now on marks it again
    ReportBuiltMonth.objects.filter(month=day.replace(day=1)).delete()  # its month is summed again
    start, end = day_bounds(day)
    # Every group named: the tickets' indexes on a moment begin with the group.
    tickets = Ticket.objects.filter(group_id__in=Group.objects.values("pk"), merged_into__isnull=True)
    per_ticket: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(_ticket_row)
    per_agent: dict[tuple[int, int], dict[str, Any]] = defaultdict(_agent_row)
    clock = "service_clock__"
    created = with_first_response(tickets.filter(created_at__gte=start, created_at__lt=end)).values_list(
        "group_id",
        "source",
        "category_id",
        "owner_id",
        "first_response",
        "closed_at",
        f"{clock}pk",
        f"{clock}first_responded_at",
        f"{clock}first_response_breached_at",
        f"{clock}resolution_breached_at",
    )
    for group_id, source, category_id, owner_id, first, closed_at, clocked, responded, fr_late, res_late in created:
        row = per_ticket[(group_id, source, category_id)]
        row["created"] += 1
        row["fr_measured"] += responded is not None or fr_late is not None
        row["fr_breached"] += fr_late is not None
        row["res_measured"] += clocked is not None and (closed_at is not None or res_late is not None)
        row["res_breached"] += res_late is not None
        if first is not None:
            row["fr"][bucket_of(first)] += 1
            if owner_id is not None:
                per_agent[(group_id, owner_id)]["fr"][bucket_of(first)] += 1
    closed = with_resolution(tickets.filter(closed_at__gte=start, closed_at__lt=end)).values_list(*CLOSED_FIELDS)
    for group_id, source, category_id, owner_id, kind, resolution in closed:
        row = per_ticket[(group_id, source, category_id)]
        row["closed"] += 1
        if resolution is not None:
            row["res"][bucket_of(resolution)] += 1
        if owner_id is not None:
            owner = per_agent[(group_id, owner_id)]
            owner["closed"] += 1
            owner["success"] += kind == StatusKind.CLOSED_SUCCESS
            owner["success_cancelled"] += kind == StatusKind.SUCCESS_CANCELLED
    answers = Activity.objects.filter(
        Q(created_at__gte=start, created_at__lt=end),
        kind__in=ActivityKind.answer_kinds(),
        actor__isnull=False,
        ticket__merged_into__isnull=True,
    ).values_list("ticket__group_id", "actor_id")
    for group_id, actor_id in answers:
        per_agent[(group_id, actor_id)]["replies"] += 1
    handles = (
        HandleTime.objects.filter(replied_at__gte=start, replied_at__lt=end, ticket__merged_into__isnull=True)
        .annotate(duration=Cast("seconds", FloatField()), ticket_group=F("ticket__group_id"))
        .values_list("ticket_group", "agent_id", "duration")
    )
    for group_id, agent_id, duration in handles:
        per_agent[(group_id, agent_id)]["ht"][bucket_of(duration)] += 1
    ReportDay.objects.filter(span=DAY, day=day).delete()
    ReportAgentDay.objects.filter(span=DAY, day=day).delete()
    ReportDay.objects.bulk_create(
        [
            ReportDay(day=day, group_id=group_id, source=source, category_id=category_id, **_columns(row))
            for (group_id, source, category_id), row in per_ticket.items()
        ]
    )
    ReportAgentDay.objects.bulk_create(
        [
            ReportAgentDay(day=day, group_id=group_id, agent_id=agent_id, **_columns(row))
            for (group_id, agent_id), row in per_agent.items()
        ]
    )
    ReportBuiltDay.objects.update_or_create(day=day, defaults={"built_at": timezone.now()})


def _sum_month(model: type[ReportDay] | type[ReportAgentDay], first: dt.date, by: tuple[str, ...]) -> None:
    model.objects.filter(span=MONTH, day=first).delete()
    counted = [f.name for f in model._meta.fields if isinstance(f, PositiveIntegerField) and f.name != "span"]
    days = model.objects.filter(span=DAY, day__gte=first, day__lte=first.replace(day=month_length(first)))
    sums = days.values(*by).annotate(**{f"sum_{name}": Sum(name) for name in counted}).order_by()
    rows: list[Any] = [
        model(
            day=first, span=MONTH, **{name: row[name] for name in by}, **{name: row[f"sum_{name}"] for name in counted}
        )
        for row in sums
    ]
    model.objects.bulk_create(rows)


def _ticket_row() -> dict[str, Any]:
    counts = ("created", "closed", "fr_measured", "fr_breached", "res_measured", "res_breached")
    return {**dict.fromkeys(counts, 0), "fr": [0] * BUCKETS, "res": [0] * BUCKETS}


def _agent_row() -> dict[str, Any]:
    counts = ("replies", "closed", "success", "success_cancelled")
    return {**dict.fromkeys(counts, 0), "fr": [0] * BUCKETS, "ht": [0] * BUCKETS}


def _columns(row: dict[str, Any]) -> dict[str, int]:
    """A row's counts and its histograms as the model's columns (``fr0``…)."""
    columns = {}
    for name, value in row.items():
        if isinstance(value, list):
            columns.update({f"{name}{index}": n for index, n in enumerate(value) if n})
        else:
            columns[name] = int(value)
    return columns
