"""The reports' daily summary, read (ADMIN-02): which days of a report the summary serves, its
sums over those days, and percentiles from its histograms.

Why a summary: at a million tickets (PostgreSQL) a year's report reread every ticket created or
closed in the year and every answer (hundreds of thousands of rows per figure, seconds a page).
A job (tickets/report_day_builds.py) counts each past day once, per group, channel and category
(``ReportDay``) and per group and agent (``ReportAgentDay``); a report adds up a few rows a day.

- Days: the organisation's (``settings.TIME_ZONE``). A reader in another time zone has other
  days: their report is read live, whole. Today (and later) is always read live, as is any day
  not built yet or marked stale by a change since its build (``ReportStaleDay``): a report over
  built and other days adds the summary's days to the live figures of the others.
- Filters: group, channel and category are columns of ``ReportDay``. ``ReportAgentDay`` is per
  group only: the per-agent figures with a channel or category chosen, and every figure with an
  agent chosen (the tickets that agent owns: few), are read live.
- Durations (first response, resolution, handle time) are histograms (models/reports.py): a
  percentile is interpolated within its bucket, so it is within one bucket's width of the exact
  one, about 19 % of the value (a minute under a minute; in the last bucket, from about 128 days,
  its lower edge). With no summary day in the period the figures are exact, as before.
- Counts are exact. "Tickets handled" per agent is the tickets closed as their owner in the
  period: the tickets an agent replied to, counted once each, do not add up over days.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from switchboard.tickets.models.reports import (
    BUCKETS,
    DAY,
    MONTH,
    ReportAgentDay,
    ReportBuiltDay,
    ReportBuiltMonth,
    ReportDay,
    ReportStaleDay,
    bucket_columns,
)

# Bucket k (from 1) holds [FIRST_EDGE·2^((k-1)/4), FIRST_EDGE·2^(k/4)) seconds; bucket 0 under FIRST_EDGE.
FIRST_EDGE = 60.0
STEPS_PER_DOUBLING = 4

Ranges = tuple[tuple[dt.datetime, dt.datetime], ...]


def organisation_zone() -> dt.tzinfo:
    return timezone.get_default_timezone()


def day_bounds(day: dt.date, zone: dt.tzinfo | None = None) -> tuple[dt.datetime, dt.datetime]:
    zone = zone or organisation_zone()
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)


def lower_edge(index: int) -> float:
    return 0.0 if index == 0 else FIRST_EDGE * 2 ** ((index - 1) / STEPS_PER_DOUBLING)


def bucket_of(seconds: float) -> int:
    """The histogram bucket of a duration."""
    if seconds < FIRST_EDGE:
        return 0
    return min(BUCKETS - 1, 1 + math.floor(STEPS_PER_DOUBLING * math.log2(seconds / FIRST_EDGE)))


def histogram_percentile(counts: Sequence[int], fraction: float) -> float | None:
    """``percentile_cont`` of the durations counted in ``counts``: each taken as if the values of
    its bucket were spread evenly over it (in the last bucket: at its lower edge), so each is
    within its bucket's width of the true one, and so is the interpolation between two."""
    total = sum(counts)
    if not total:
        return None
    rank = (total - 1) * fraction  # 0-based, as percentile_cont
    low = _value_at(counts, math.floor(rank))
    return low + (_value_at(counts, math.ceil(rank)) - low) * (rank - math.floor(rank))


def _value_at(counts: Sequence[int], rank: int) -> float:
    below = 0
    for index, n in enumerate(counts):
        if rank < below + n:
            if index == len(counts) - 1:
                return lower_edge(index)
            low, high = lower_edge(index), lower_edge(index + 1)
            return low + (high - low) * (rank - below + 0.5) / n
        below += n
    return lower_edge(len(counts) - 1)


def add_to_histogram(counts: list[int], values: Iterable[float]) -> list[int]:
    for value in values:
        counts[bucket_of(value)] += 1
    return counts


@dataclass(frozen=True)
class Split:
    """The days of a report the summary serves (``months``: the whole months among them whose
    sums it holds), and the moments read live (runs of the other days, each [start, end))."""

    summary: tuple[dt.date, ...]
    live: Ranges
    months: tuple[dt.date, ...] = ()

    def moment_in(self, moment: str) -> Q:
        """``moment`` in one of the live ranges (matches nothing when there is none)."""
        if not self.live:
            return Q(pk__in=[])
        found = Q()
        for start, end in self.live:
            found |= Q(**{f"{moment}__gte": start, f"{moment}__lt": end})
        return found

    def rows(self, *, per_day: bool = False) -> Q:
        """The summary rows to add up: each day's (``per_day``), or the months' for the whole
        months and the days' for the other days."""
        if per_day or not self.months:
            return Q(span=DAY, day__in=self.summary)
        days = [day for day in self.summary if day.replace(day=1) not in self.months]
        return Q(span=MONTH, day__in=self.months) | Q(span=DAY, day__in=days)


def split_days(since: dt.date, until: dt.date, zone: dt.tzinfo, *, summarised: bool) -> Split:
    """Which days ``since``…``until`` (in ``zone``) the summary serves: the built and not stale
    ones before today, when ``zone`` is the organisation's and ``summarised`` (the filters are
    the summary's columns). One query, none when no day can be."""
    whole = (day_bounds(since, zone)[0], day_bounds(until, zone)[1])
    today = timezone.localdate(timezone=organisation_zone())
    last = min(until, today - dt.timedelta(days=1))
    if not summarised or str(zone) != str(organisation_zone()) or last < since:
        return Split((), (whole,))
    built = set(
        ReportBuiltDay.objects.filter(day__gte=since, day__lte=last)
        .exclude(day__in=ReportStaleDay.objects.values("day"))
        .values_list("day", flat=True)
    )
    live: list[tuple[dt.datetime, dt.datetime]] = []
    day = since
    while day <= until:
        if day not in built:
            start, end = day_bounds(day, zone)
            if live and live[-1][1] == start:
                live[-1] = (live[-1][0], end)
            else:
                live.append((start, end))
        day += dt.timedelta(days=1)
    whole_months = [
        day
        for day in built
        if day.day == 1 and all(day.replace(day=n) in built for n in range(2, month_length(day) + 1))
    ]
    months = ReportBuiltMonth.objects.filter(month__in=whole_months).values_list("month", flat=True)
    return Split(tuple(sorted(built)), tuple(live), tuple(sorted(months)) if whole_months else ())


def month_length(first: dt.date) -> int:
    """The number of days of the month that begins on ``first``."""
    return ((first + dt.timedelta(days=32)).replace(day=1) - first).days


def ticket_day_rows(
    split: Split, group_ids: Sequence[int], source: str, category_id: int | None, *, per_day: bool = False
) -> QuerySet[Any]:
    """The summary's ``ReportDay`` rows of a report (``Split.rows``)."""
    filters: dict[str, Any] = {}
    if source:
        filters["source"] = source
    if category_id is not None:
        filters["category_id"] = category_id
    return ReportDay.objects.filter(split.rows(per_day=per_day), group_id__in=group_ids, **filters)


def summed(rows: QuerySet[Any], columns: Iterable[str], *by: str) -> list[dict[str, Any]]:
    """The sums of ``columns`` of ``rows`` (per ``by``): one query."""
    sums = {column: Sum(column) for column in columns}
    if by:
        return list(rows.values(*by).annotate(**sums).order_by())
    return [rows.aggregate(**sums)]


def histogram(row: dict[str, Any], name: str) -> list[int]:
    """One histogram (``fr``, ``res``, ``ht``) of a summed row."""
    return [row.get(column) or 0 for column in bucket_columns(name)]


def agent_day_rows(split: Split, group_ids: Sequence[int]) -> QuerySet[Any]:
    return ReportAgentDay.objects.filter(split.rows(), group_id__in=group_ids)
