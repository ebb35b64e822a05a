"""Business-hours arithmetic (ROUTE-07): pure functions over a group's calendar.

A calendar is weekly working hours (per weekday, one or more ranges), holidays and a time zone.
Moments are aware datetimes; the ranges are wall-clock times in the calendar's zone, so a
working day across a daylight-saving change is as long as the clock says (a Sunday open
00:00-24:00 has 23 hours on 2026-03-29 in Europe/Warsaw and 25 on 2026-10-25). A calendar with
no working hours at all counts every minute (round the clock).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

Range = tuple[dt.time, dt.time | None]  # None: until midnight (24:00)
ROUND_THE_CLOCK: tuple[Range, ...] = ((dt.time(0, 0), None),)
_SEARCH_DAYS = 3700  # ten years: past this, a calendar's hours are taken to be missing
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class Calendar:
    time_zone: str = "UTC"
    week: tuple[tuple[Range, ...], ...] = field(default_factory=lambda: tuple(() for _ in range(7)))  # Monday first
    holidays: frozenset[dt.date] = frozenset()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def round_the_clock(self) -> bool:
        return not any(self.week)


def parse_ranges(text: str) -> tuple[Range, ...]:
    """ "09:00-12:00, 13:00-17:00" → its ranges, in order; "" → none. ValueError if malformed,
    reversed or overlapping. "24:00" ends a range at midnight."""
    ranges: list[Range] = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        match = _RANGE.match(part)
        if not match:
            raise ValueError(part)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
            raise ValueError(part)
        start, end = dt.time(h1, m1), (None if h2 == 24 else dt.time(h2, m2))
        if end is not None and end <= start:
            raise ValueError(part)
        if ranges and (ranges[-1][1] is None or start < ranges[-1][1]):
            raise ValueError(part)
        ranges.append((start, end))
    return tuple(ranges)


def format_ranges(ranges: tuple[Range, ...] | list[Range]) -> str:
    return ", ".join(f"{a:%H:%M}-{'24:00' if b is None else f'{b:%H:%M}'}" for a, b in ranges)


def _periods(calendar: Calendar, start: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """The working periods (UTC) that end after ``start``, in order, for up to ten years."""
    zone = calendar.zone
    day = start.astimezone(zone).date() - dt.timedelta(days=1)  # a range may reach past midnight UTC
    for _ in range(_SEARCH_DAYS):
        if day not in calendar.holidays:
            ranges = ROUND_THE_CLOCK if calendar.round_the_clock else calendar.week[day.weekday()]
            for begin, end in ranges:
                a = dt.datetime.combine(day, begin, tzinfo=zone).astimezone(dt.UTC)
                if end is None:
                    b = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone).astimezone(dt.UTC)
                else:
                    b = dt.datetime.combine(day, end, tzinfo=zone).astimezone(dt.UTC)
                if b > start:
                    yield a, b
        day += dt.timedelta(days=1)


def add_business_seconds(calendar: Calendar, start: dt.datetime, seconds: float) -> dt.datetime:
    """The moment ``seconds`` of working time after ``start`` (UTC). Zero: ``start`` itself, or the
    next opening if ``start`` is outside working hours."""
    left = dt.timedelta(seconds=max(seconds, 0))
    for a, b in _periods(calendar, start):
        a = max(a, start)
        if a + left <= b:
            return a + left
        left -= b - a
    raise ValueError("The calendar has no working hours in the next ten years.")


def add_business_minutes(calendar: Calendar, start: dt.datetime, minutes: float) -> dt.datetime:
    """The moment ``minutes`` of working time after ``start``, in UTC."""
    return add_business_seconds(calendar, start, minutes * 60)


def business_seconds_between(calendar: Calendar, start: dt.datetime, end: dt.datetime) -> int:
    """Working time from ``start`` to ``end`` in whole seconds (0 if ``end`` is not later)."""
    total = dt.timedelta(0)
    if end <= start:
        return 0
    for a, b in _periods(calendar, start):
        if a >= end:
            break
        total += min(b, end) - max(a, start)
    return int(total.total_seconds())


def business_minutes_between(calendar: Calendar, start: dt.datetime, end: dt.datetime) -> int:
    """Working time from ``start`` to ``end`` in whole minutes."""
    return business_seconds_between(calendar, start, end) // 60
