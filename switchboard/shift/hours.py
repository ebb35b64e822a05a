"""Hours worked (AGENT-05): a shift minus its breaks, counted per day and per week in the agent's
own time zone. A shift across midnight counts in each day for its part; a day is from one local
midnight to the next, so the day the clocks change has 23 or 25 hours. Pure arithmetic first,
then the reads the hours pages make (a fixed number of queries whatever the number of shifts)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from switchboard.shift.models import Break, Shift, ShiftCorrection
from switchboard.tickets.models import AgentProfile

Span = tuple[dt.datetime, dt.datetime]


def zone_of(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.agent_profile.time_zone)
    except (AgentProfile.DoesNotExist, KeyError, ValueError):
        return ZoneInfo("UTC")


def day_span(day: dt.date, zone: ZoneInfo) -> Span:
    """From ``day``'s local midnight to the next day's, as aware datetimes (23, 24 or 25 hours)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def worked_spans(start: dt.datetime, end: dt.datetime, breaks: Iterable[Span]) -> list[Span]:
    """The parts of ``start``–``end`` outside every break, in UTC (so that differences are real
    time, not the wall clock's: Python subtracts two times of one zone on the wall clock)."""
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    spans: list[Span] = []
    cursor = start
    for b_start, b_end in sorted((a.astimezone(dt.UTC), b.astimezone(dt.UTC)) for a, b in breaks):
        b_start, b_end = max(b_start, start), min(b_end, end)
        if b_end <= cursor:
            continue
        if b_start > cursor:
            spans.append((cursor, b_start))
        cursor = max(cursor, b_end)
    if cursor < end:
        spans.append((cursor, end))
    return spans


def seconds_per_day(spans: Iterable[Span], zone: ZoneInfo) -> dict[dt.date, int]:
    """Seconds of ``spans`` in each local day of ``zone`` they touch."""
    per_day: dict[dt.date, int] = defaultdict(int)
    for start, end in spans:
        day = start.astimezone(zone).date()
        while True:
            day_start, day_end = day_span(day, zone)
            if day_start >= end:
                break
            part = min(end, day_end) - max(start, day_start)
            if part > dt.timedelta(0):
                per_day[day] += int(part.total_seconds())
            day += dt.timedelta(days=1)
    return dict(per_day)


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def parse_week(text: str, *, today: dt.date) -> dt.date:
    """The Monday of an ISO week written as ``2026-W49`` (an <input type=week>); this week otherwise."""
    try:
        return dt.datetime.strptime(text + "-1", "%G-W%V-%u").date()  # noqa: DTZ007 - a date, no time
    except ValueError:
        return week_start(today)


def week_label(monday: dt.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


# --- the pages' reads ------------------------------------------------------------------------------


@dataclass
class ShiftRow:
    """A shift as the hours page shows it, in the agent's zone."""

    shift: Shift
    breaks: list[Break]
    corrections: list[ShiftCorrection]
    worked: int  # seconds
    on_break: int  # seconds

    @property
    def is_open(self) -> bool:
        return self.shift.ended_at is None


@dataclass
class AgentWeek:
    agent: User
    zone: ZoneInfo
    days: list[int]  # seconds worked on each of the 7 days, Monday first
    shifts: list[ShiftRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.days)

    @property
    def flagged(self) -> int:
        return sum(row.shift.auto_closed for row in self.shifts)


def _shifts_touching(agents: Sequence[User], start: dt.datetime, end: dt.datetime) -> QuerySet[Shift]:
    return (
        Shift.objects.filter(agent__in=agents, started_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
        .order_by("started_at")
        .prefetch_related(
            Prefetch("breaks", queryset=Break.objects.order_by("started_at")),
            Prefetch(
                "corrections",
                queryset=ShiftCorrection.objects.select_related("corrected_by", "brk").order_by("corrected_at", "pk"),
            ),
        )
    )


def list_weeks(agents: Sequence[User], monday: dt.date, *, now: dt.datetime | None = None) -> list[AgentWeek]:
    """Each agent's hours in the week beginning ``monday`` (in their own zone): per day and the
    shifts that touch it. The agents come with ``agent_profile`` joined. Three queries."""
    now = now or timezone.now()
    days = [monday + dt.timedelta(days=offset) for offset in range(7)]
    weeks = {agent.pk: AgentWeek(agent=agent, zone=zone_of(agent), days=[0] * 7) for agent in agents}
    if not weeks:
        return []
    # The widest span any agent's week can have (zones from -12 to +14 hours).
    widest_start = dt.datetime.combine(monday, dt.time(), tzinfo=dt.UTC) - dt.timedelta(hours=15)
    widest_end = widest_start + dt.timedelta(days=7, hours=30)
    for shift in _shifts_touching(agents, widest_start, widest_end):
        week = weeks[shift.agent_id]
        first, last = day_span(days[0], week.zone)[0], day_span(days[-1], week.zone)[1]
        end = shift.ended_at or now
        if shift.started_at >= last or end <= first:
            continue
        breaks = list(shift.breaks.all())
        spans = worked_spans(shift.started_at, end, [(b.started_at, b.ended_at or now) for b in breaks])
        per_day = seconds_per_day(spans, week.zone)
        for index, day in enumerate(days):
            week.days[index] += per_day.get(day, 0)
        worked = sum(int((b - a).total_seconds()) for a, b in spans)
        week.shifts.append(
            ShiftRow(
                shift=shift,
                breaks=breaks,
                corrections=list(shift.corrections.all()),
                worked=worked,
                on_break=int((end - shift.started_at).total_seconds()) - worked,
            )
        )
    return list(weeks.values())
