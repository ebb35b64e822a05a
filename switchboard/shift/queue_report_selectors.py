"""Reads of the queue reports (PHONE-08): the dialog's due report, the group's latest figures,
the manager's day (agents × half hours) and the weekly schedule; each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db.models import F, Q
from django.utils import timezone

from switchboard.shift.models import Outage, QueueReport, Shift
from switchboard.shift.queue_reports import REPORTING_ROLES, due_times
from switchboard.tickets.models import Group, Membership

SLOT = dt.timedelta(minutes=30)


def find_due_report(user: User, *, now: dt.datetime | None = None) -> QueueReport | None:
    """The report the dialog asks ``user`` for: the newest report of their open shift in a group,
    if it is not filed yet (an older unfiled one stays missed). One query."""
    if not user.is_authenticated:
        return None
    now = now or timezone.now()
    reports = list(
        QueueReport.objects.filter(
            agent=user,
            due_at__lte=now,
            agent__shifts__ended_at__isnull=True,
            due_at__gt=F("agent__shifts__started_at"),
        )
        .select_related("group")
        .order_by("group_id", "-due_at")[:50]
    )
    newest: dict[int, QueueReport] = {}
    for report in reports:
        newest.setdefault(report.group_id, report)
    due = [report for report in newest.values() if report.filed_at is None]
    return min(due, key=lambda report: report.due_at or now) if due else None


def latest_figures(group: Group) -> QueueReport | None:
    """The group's latest queue figures: the last filed report or a manager's figures. One query."""
    return (
        QueueReport.objects.filter(group=group, filed_at__isnull=False, calls_waiting__isnull=False)
        .select_related("agent")
        .order_by("-filed_at", "-pk")
        .first()
    )


def open_outage_area_ids() -> set[int]:
    return set(Outage.objects.filter(ended_at__isnull=True).values_list("area_id", flat=True))


@dataclass
class DayRow:
    agent: User
    cells: list[QueueReport | None] = field(default_factory=list)


@dataclass
class Day:
    slots: list[dt.datetime]
    rows: list[DayRow]
    reports: list[QueueReport]
    outages: list[tuple[str, int]]  # area name, how many reports said it was out
    filed: int
    missed: int


def day_bounds(day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    return start, start + dt.timedelta(days=1)


def list_day_reports(group: Group, day: dt.date, zone: ZoneInfo) -> list[QueueReport]:
    start, end = day_bounds(day, zone)
    return list(
        QueueReport.objects.filter(group=group)
        .filter(Q(due_at__gte=start, due_at__lt=end) | Q(due_at__isnull=True, filed_at__gte=start, filed_at__lt=end))
        .select_related("agent", "area")
        .order_by("due_at", "filed_at", "agent__first_name", "agent__username")
    )


def get_day(group: Group, day: dt.date, zone: ZoneInfo) -> Day:
    """The manager's page: every report of ``day`` in half-hour slots, per agent. Two queries."""
    start, _end = day_bounds(day, zone)
    reports = list_day_reports(group, day, zone)
    due = [report for report in reports if report.due_at is not None]
    indexes = sorted({int((report.due_at - start) / SLOT) for report in due if report.due_at})
    slots = [start + index * SLOT for index in indexes]
    rows: dict[int, DayRow] = {}
    for report in due:
        row = rows.setdefault(report.agent_id, DayRow(report.agent, [None] * len(slots)))
        row.cells[indexes.index(int((report.due_at - start) / SLOT))] = report  # type: ignore[operator]
    outages: dict[str, int] = {}
    for report in reports:
        if report.outage and report.area is not None:
            outages[report.area.name] = outages.get(report.area.name, 0) + 1
    return Day(
        slots=slots,
        rows=sorted(rows.values(), key=lambda row: (row.agent.get_full_name() or row.agent.get_username()).lower()),
        reports=reports,
        outages=sorted(outages.items()),
        filed=sum(1 for report in due if report.filed_at is not None),
        missed=sum(1 for report in due if report.missed_at is not None and report.filed_at is None),
    )


@dataclass
class ScheduleLine:
    agent: User
    weekday: int
    start: dt.time
    end: dt.time
    times: list[dt.time]


def list_week_schedule(group: Group, *, now: dt.datetime, zone: ZoneInfo) -> list[ScheduleLine]:
    """Who reports when next week: each agent's shifts of the last seven days (the time clock's
    data), the same weekdays and hours again, with the group's report times. Home agents are not
    on it. Two queries."""
    minutes = group.queue_report_minutes
    if not minutes:
        return []
    members = {
        membership.user_id: membership.user
        for membership in Membership.objects.filter(
            group=group, role__in=REPORTING_ROLES, user__is_active=True
        ).select_related("user")
    }
    shifts = Shift.objects.filter(
        agent_id__in=members, started_at__gte=now - dt.timedelta(days=7), started_at__lt=now, ended_at__isnull=False
    ).order_by("started_at")
    lines = []
    for shift in shifts:
        assert shift.ended_at is not None
        start, end = shift.started_at.astimezone(zone), shift.ended_at.astimezone(zone)
        times = [due.astimezone(zone).time() for due in due_times(shift.started_at, minutes, until=shift.ended_at)]
        lines.append(ScheduleLine(members[shift.agent_id], start.weekday(), start.time(), end.time(), times))
    return sorted(lines, key=lambda line: (line.weekday, line.start, line.agent.get_username()))
