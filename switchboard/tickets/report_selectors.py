"""Reports (ADMIN-02): the figures of the managers' Reports page, each computed in the database
with aggregates, in a fixed number of queries whatever the number of tickets.

- Volume: tickets created and closed per day, channel (``Ticket.source``) and group.
- Response times: the first response and the resolution, median and 90th percentile. A ticket
  with a service-level clock (its group has a calendar, ROUTE-07) counts working time from its
  clock (``TicketClock.first_response_seconds``, ``used_seconds``); any other counts calendar
  time (first reply to the contact, or the close, minus the creation).
- Backlog: open at the end of each day (open before the period, plus created, minus closed, per
  day), and the open tickets now by status kind.
- Per agent: report_agent_selectors.py.
- Service levels: tickets with a target, within it, breached.

The past days are read from the daily summary a job keeps (report_days.py), today and the days
it does not serve live, as below.

Percentiles: on PostgreSQL ``percentile_cont`` (one aggregate); elsewhere (SQLite has no
ordered-set aggregates) the one column of durations is fetched sorted and interpolated the way
``percentile_cont`` does: one query, a few bytes a ticket, and the same answers on both.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateField,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Cast, TruncDate

from switchboard.tickets.models import Ticket
from switchboard.tickets.models.reports import bucket_columns
from switchboard.tickets.report_days import (
    Split,
    add_to_histogram,
    histogram,
    histogram_percentile,
    split_days,
    summed,
    ticket_day_rows,
)


@dataclass(frozen=True)
class ReportFilter:
    """What a report covers: the groups (those the reader may see reports of, or the one chosen),
    the days ``since``…``until`` (both included) in the reader's time zone ``zone``, and
    optionally one channel, category or agent (the tickets' owner; an agent's own rows)."""

    group_ids: tuple[int, ...]
    since: dt.date
    until: dt.date
    zone: dt.tzinfo
    source: str = ""
    category_id: int | None = None
    agent_id: int | None = None

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.since, dt.time(), tzinfo=self.zone)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time(), tzinfo=self.zone)

    def days(self) -> list[dt.date]:
        return [self.since + dt.timedelta(days=n) for n in range((self.until - self.since).days + 1)]

    @cached_property
    def split(self) -> Split:
        """The days the daily summary serves and the moments read live (report_days.py): the
        ticket figures', whose summary has the group, channel and category."""
        return split_days(self.since, self.until, self.zone, summarised=self.agent_id is None)

    @cached_property
    def agents_split(self) -> Split:
        """The per-agent figures': their summary is per group only."""
        if self.source or self.category_id is not None:
            return split_days(self.since, self.until, self.zone, summarised=False)
        return self.split

    def tickets(self) -> QuerySet[Ticket]:
        rows = Ticket.objects.filter(group_id__in=self.group_ids, merged_into__isnull=True)
        if self.source:
            rows = rows.filter(source=self.source)
        if self.category_id is not None:
            rows = rows.filter(category_id=self.category_id)
        if self.agent_id is not None:
            rows = rows.filter(owner_id=self.agent_id)
        return rows


class SecondsBetween(Func):
    """``end - start`` in seconds, a float, on PostgreSQL and SQLite."""

    output_field = FloatField()

    def __init__(self, end: Any, start: Any) -> None:  # noqa: ANN401 - expressions
        super().__init__(end, start)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # noqa: ANN401
        return super().as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # noqa: ANN401
        return super().as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM (%(expressions)s))", arg_joiner=" - ", **extra
        )


def utc_offsets(zone: dt.tzinfo, start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, dt.timedelta]]:
    """The offsets from UTC that ``zone`` keeps between ``start`` and ``end``: (from when, offset),
    the first from ``start``. Transitions fall on a quarter of an hour (in every zone of the
    tz database), found by halving the day in which the offset changes."""
    start = start.astimezone(dt.UTC)
    end = end.astimezone(dt.UTC)
    found = [(start, start.astimezone(zone).utcoffset() or dt.timedelta())]
    day = start
    while day < end:
        following = min(day + dt.timedelta(days=1), end)
        offset = following.astimezone(zone).utcoffset() or dt.timedelta()
        if offset != found[-1][1]:
            low, high = day, following  # the offset changes in (low, high]
            while high - low > dt.timedelta(minutes=15):
                middle = low + (high - low) / 2
                if (middle.astimezone(zone).utcoffset() or dt.timedelta()) == offset:
                    high = middle
                else:
                    low = middle
            found.append((high.replace(minute=high.minute - high.minute % 15, second=0, microsecond=0), offset))
        day = following
    return found


class LocalDate(Func):
    """The day in ``zone`` of a moment between ``start`` and ``end``. PostgreSQL converts with its
    own time zone data; SQLite, where Django's conversion is a Python function called per row,
    adds the offset of the moment's stretch (at most a few stretches: summer and winter time)
    with its own ``date()``."""

    output_field = DateField()

    def __init__(self, expression: str, zone: dt.tzinfo, start: dt.datetime, end: dt.datetime) -> None:
        super().__init__(F(expression))
        self.zone, self.start, self.end = zone, start, end

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # noqa: ANN401
        return TruncDate(self.source_expressions[0], tzinfo=self.zone).as_sql(compiler, connection)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # noqa: ANN401
        moment, params = compiler.compile(self.source_expressions[0])
        stretches = utc_offsets(self.zone, self.start, self.end)
        sql, case_params = "", []
        for since, offset in reversed(stretches[1:]):
            sql += f"WHEN {moment} >= %s THEN %s "
            case_params += [*params, connection.ops.adapt_datetimefield_value(since), _modifier(offset)]
        first = _modifier(stretches[0][1])
        if not sql:
            return f"date({moment}, %s)", [*params, first]
        return f"date({moment}, CASE {sql}ELSE %s END)", [*params, *case_params, first]


def _modifier(offset: dt.timedelta) -> str:
    return f"{int(offset.total_seconds()):+d} seconds"


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: the ``fraction`` percentile, interpolated."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:  # noqa: ANN401
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """``percentile_cont`` of sorted ``values``: linear interpolation between the closest ranks."""
    if not values:
        return None
    position = (len(values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def percentiles_by(
    rows: QuerySet[Any], value: str, by: str | None, fractions: Iterable[float] = (0.5, 0.9)
) -> dict[Any, tuple[Any, ...]]:
    """How many values the annotated column ``value`` of ``rows`` has (None left out), then its
    percentiles, per value of ``by`` (or under the key None): one query."""
    fractions = tuple(fractions)
    rows = rows.exclude(**{f"{value}__isnull": True})
    if connection.vendor == "postgresql":
        aggregates: dict[str, Any] = {f"p{n}": PercentileCont(value, fraction) for n, fraction in enumerate(fractions)}
        aggregates["n"] = Count("pk")
        names = ["n", *(f"p{n}" for n in range(len(fractions)))]
        if by:
            found = rows.values(by).annotate(**aggregates).order_by()
            return {row[by]: tuple(row[name] for name in names) for row in found}
        total = rows.aggregate(**aggregates)
        return {None: tuple(total[name] for name in names)} if total["n"] else {}
    return {
        key: (len(numbers), *(percentile(numbers, f) for f in fractions))
        for key, numbers in durations_by(rows, value, by).items()
    }


def durations_by(rows: QuerySet[Any], value: str, by: str | None) -> dict[Any, list[float]]:
    """The values of the annotated column ``value`` of ``rows`` (None left out), sorted, per
    value of ``by`` (or under the key None): one query."""
    rows = rows.exclude(**{f"{value}__isnull": True})
    columns: dict[Any, list[float]] = defaultdict(list)
    if by:
        for key, number in rows.order_by(by, value).values_list(by, value):
            columns[key].append(number)
    else:
        columns[None] = list(rows.order_by(value).values_list(value, flat=True))
    return {key: numbers for key, numbers in columns.items() if numbers}


def with_first_response(rows: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """``first_response``: business seconds from the clock where the ticket has one and was
    answered, calendar seconds from its creation to an agent's first answer otherwise."""
    return rows.annotate(
        first_response=Case(
            When(
                service_clock__first_response_seconds__isnull=False,
                then=Cast("service_clock__first_response_seconds", FloatField()),
            ),
            default=SecondsBetween(F("first_replied_at"), F("created_at")),
            output_field=FloatField(),
        )
    )


def with_resolution(rows: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """``resolution``: the clock's used business seconds where the ticket has a clock, calendar
    seconds from creation to close otherwise (closed tickets)."""
    return rows.annotate(
        resolution=Case(
            When(service_clock__isnull=False, then=Cast("service_clock__used_seconds", FloatField())),
            default=SecondsBetween(F("closed_at"), F("created_at")),
            output_field=FloatField(),
        )
    )


# --- volume and backlog -----------------------------------------------------------------------


@dataclass(frozen=True)
class VolumeRow:
    day: dt.date
    source: str
    group_id: int
    created: int
    closed: int


@dataclass
class Volume:
    days: list[dt.date]
    created_per_day: dict[dt.date, int]
    closed_per_day: dict[dt.date, int]
    per_source: dict[str, tuple[int, int]]
    open_before: int
    by_status_kind: dict[str, int] = field(default_factory=dict)

    def per_day(self) -> list[tuple[dt.date, int, int]]:
        """(day, created, closed) over all channels and groups."""
        return [(day, self.created_per_day.get(day, 0), self.closed_per_day.get(day, 0)) for day in self.days]

    def backlog(self) -> list[tuple[dt.date, int]]:
        """Open at the end of each day."""
        open_now = self.open_before
        out = []
        for day, created, closed in self.per_day():
            open_now += created - closed
            out.append((day, open_now))
        return out


MOMENTS = ("created_at", "closed_at")


def _in_period(report: ReportFilter, moment: str) -> QuerySet[Ticket]:
    """The tickets whose ``moment`` is in the days of the period read live."""
    return report.tickets().filter(report.split.moment_in(moment))


def get_volume(report: ReportFilter) -> Volume:
    """Five queries, each read off an index on the moment or on the open tickets, each giving a
    few rows: created and closed per day and channel (from the daily summary where it serves,
    one query, and live, two), the open tickets now by status kind, and how many were created
    and closed after the period. The count open at the period's start follows without reading
    every older ticket: open now, less those created since the start, plus those closed since.
    A ticket reopened after its close counts as it stands now (its close is cleared), as the
    lists show it."""
    per_day: list[dict[dt.date, int]] = [defaultdict(int), defaultdict(int)]
    per_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for index, moment in enumerate(MOMENTS):
        for day, source, n in _counted_by_day(report, moment, "source"):
            per_day[index][day] += n
            per_source[source][index] += n
    for found in _summary_counts(report, "day", "source"):
        for index, column in enumerate(("created", "closed")):
            per_day[index][found["day"]] += found[column]
            per_source[found["source"]][index] += found[column]
    tickets = report.tickets()
    kinds = {
        row["status__kind"]: row["n"]
        for row in tickets.filter(closed_at__isnull=True)
        .values("status__kind")
        .annotate(n=Count("id"))
        .order_by("status__kind")
    }
    created_after = tickets.filter(created_at__gte=report.end).count()
    closed_after = tickets.filter(closed_at__gte=report.end).count()
    created, closed = sum(per_day[0].values()), sum(per_day[1].values())
    open_before = sum(kinds.values()) - created - created_after + closed + closed_after
    return Volume(
        days=report.days(),
        created_per_day=per_day[0],
        closed_per_day=per_day[1],
        per_source={source: (a, b) for source, (a, b) in sorted(per_source.items())},
        open_before=open_before,
        by_status_kind=kinds,
    )


def _counted_by_day(report: ReportFilter, moment: str, *by: str) -> Iterable[Any]:
    """(day, *by, how many) of the tickets whose ``moment`` is in the days read live."""
    if not report.split.live:
        return []
    return (
        _in_period(report, moment)
        .annotate(day=LocalDate(moment, report.zone, report.start, report.end))
        .values_list("day", *by)
        .annotate(n=Count("id"))
        .order_by()
    )


def _summary_rows(report: ReportFilter, *, per_day: bool = False) -> QuerySet[Any]:
    return ticket_day_rows(report.split, report.group_ids, report.source, report.category_id, per_day=per_day)


def _summary_counts(report: ReportFilter, *by: str) -> list[dict[str, Any]]:
    """Created and closed per ``by`` over the days the summary serves (one query, or none)."""
    if not report.split.summary:
        return []
    return summed(_summary_rows(report, per_day=True), ("created", "closed"), *by)


def list_volume_rows(report: ReportFilter) -> list[VolumeRow]:
    """Created and closed per day, channel and group (the volume's CSV): three queries."""
    counts: dict[tuple[dt.date, str, int], list[int]] = defaultdict(lambda: [0, 0])
    for index, moment in enumerate(MOMENTS):
        for day, source, group_id, n in _counted_by_day(report, moment, "source", "group_id"):
            counts[(day, source, group_id)][index] += n
    for found in _summary_counts(report, "day", "source", "group_id"):
        key = (found["day"], found["source"], found["group_id"])
        counts[key][0] += found["created"]
        counts[key][1] += found["closed"]
    return [
        VolumeRow(day, source, group, *values) for (day, source, group), values in sorted(counts.items()) if any(values)
    ]


# --- response times ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Times:
    """Seconds (working seconds where the group has a calendar); None: no ticket to measure."""

    first_response_median: float | None
    first_response_p90: float | None
    first_responses: int
    resolution_median: float | None
    resolution_p90: float | None
    resolutions: int


def get_times(report: ReportFilter) -> Times:
    """Two queries: the first responses of the tickets created in the period, the resolutions
    of those closed in it (each: how many, median, 90th percentile); with summary days a third,
    their histograms, to which the durations read live are added (report_days.py)."""
    created = with_first_response(_in_period(report, "created_at"))
    closed = with_resolution(_in_period(report, "closed_at"))
    if not report.split.summary:
        first = percentiles_by(created, "first_response", None).get(None, (0, None, None))
        resolution = percentiles_by(closed, "resolution", None).get(None, (0, None, None))
        return Times(first[1], first[2], first[0], resolution[1], resolution[2], resolution[0])
    sums = summed(_summary_rows(report), [*bucket_columns("fr"), *bucket_columns("res")])[0]
    histograms = [histogram(sums, "fr"), histogram(sums, "res")]
    if report.split.live:
        add_to_histogram(histograms[0], durations_by(created, "first_response", None).get(None, []))
        add_to_histogram(histograms[1], durations_by(closed, "resolution", None).get(None, []))
    first_counts, resolution_counts = histograms
    return Times(
        first_response_median=histogram_percentile(first_counts, 0.5),
        first_response_p90=histogram_percentile(first_counts, 0.9),
        first_responses=sum(first_counts),
        resolution_median=histogram_percentile(resolution_counts, 0.5),
        resolution_p90=histogram_percentile(resolution_counts, 0.9),
        resolutions=sum(resolution_counts),
    )


# --- service levels ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceLevelFigures:
    """Of the tickets created in the period that have a clock: how many had each target's
    chance (answered or breached, closed or breached), how many breached it."""

    first_response_measured: int
    first_response_breached: int
    resolution_measured: int
    resolution_breached: int

    @staticmethod
    def share(measured: int, breached: int) -> float | None:
        return (measured - breached) / measured if measured else None

    @property
    def first_response_share(self) -> float | None:
        return self.share(self.first_response_measured, self.first_response_breached)

    @property
    def resolution_share(self) -> float | None:
        return self.share(self.resolution_measured, self.resolution_breached)


def get_service_levels(report: ReportFilter) -> ServiceLevelFigures:
    """One query, over the tickets created in the period (off their index) and their clocks;
    with summary days a second, their sums."""
    clock = "service_clock__"
    figures = dict.fromkeys(SERVICE_LEVEL_COUNTS, 0)
    if report.split.live:
        figures = _in_period(report, "created_at").aggregate(
            fr_measured=Count(
                "id",
                filter=Q(**{f"{clock}first_responded_at__isnull": False})
                | Q(**{f"{clock}first_response_breached_at__isnull": False}),
            ),
            fr_breached=Count("id", filter=Q(**{f"{clock}first_response_breached_at__isnull": False})),
            res_measured=Count(
                "id",
                filter=Q(**{f"{clock}isnull": False})
                & (Q(closed_at__isnull=False) | Q(**{f"{clock}resolution_breached_at__isnull": False})),
            ),
            res_breached=Count("id", filter=Q(**{f"{clock}resolution_breached_at__isnull": False})),
        )
    if report.split.summary:
        sums = summed(_summary_rows(report), SERVICE_LEVEL_COUNTS)[0]
        figures = {name: figures[name] + (sums[name] or 0) for name in SERVICE_LEVEL_COUNTS}
    return ServiceLevelFigures(
        first_response_measured=figures["fr_measured"],
        first_response_breached=figures["fr_breached"],
        resolution_measured=figures["res_measured"],
        resolution_breached=figures["res_breached"],
    )


SERVICE_LEVEL_COUNTS = ("fr_measured", "fr_breached", "res_measured", "res_breached")
