"""Reports (ADMIN-02), per agent: tickets handled (closed as their owner), replies sent, median
first response (of the tickets they own), median handle time (AGENT-07's ``HandleTime``),
closes with success and success-cancelled, time logged (``time_selectors``). From the daily
summary for the days it serves (per group: with a channel, category or agent chosen, read
live), live for the others (report_days.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from switchboard.tickets.models import Activity, ActivityKind, HandleTime, StatusKind
from switchboard.tickets.models.reports import BUCKETS, bucket_columns
from switchboard.tickets.report_days import (
    Split,
    add_to_histogram,
    agent_day_rows,
    histogram,
    histogram_percentile,
    summed,
)
from switchboard.tickets.report_selectors import ReportFilter, durations_by, percentiles_by, with_first_response
from switchboard.tickets.time_selectors import list_agents_time_totals

# --- per agent --------------------------------------------------------------------------------


@dataclass
class AgentRow:
    """``handled``: the tickets closed as their owner in the period (each once; those an agent
    replied to would not add up over days, report_days.py)."""

    agent_id: int
    handled: int = 0
    replies: int = 0
    first_response_median: float | None = None
    handle_median: float | None = None
    success: int = 0
    success_cancelled: int = 0
    logged_minutes: int = 0


AGENT_COUNTS = ("replies", "closed", "success", "success_cancelled")


def get_agent_rows(report: ReportFilter) -> list[AgentRow]:
    """Six queries: replies, first responses of the tickets each owns, handle times, closes as
    owner (with success), logged time (two); with summary days a seventh, their sums per agent,
    to which the figures of the days read live are added."""
    split = report.agents_split
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(AGENT_COUNTS, 0))
    histograms: dict[str, dict[int, list[int]]] = {"fr": {}, "ht": {}}
    if split.summary:
        columns = [*AGENT_COUNTS, *bucket_columns("fr"), *bucket_columns("ht")]
        for found in summed(agent_day_rows(split, report.group_ids), columns, "agent_id"):
            for name in AGENT_COUNTS:
                counts[found["agent_id"]][name] += found[name]
            for name in histograms:
                histograms[name][found["agent_id"]] = histogram(found, name)
    medians: dict[str, dict[int, float | None]] = {"fr": {}, "ht": {}}
    if split.live:
        first, handles = _live_agent_figures(report, split, counts)
        for name, rows in (("fr", first), ("ht", handles)):
            if split.summary:
                for agent_id, values in durations_by(rows, "duration", "person").items():
                    add_to_histogram(histograms[name].setdefault(agent_id, [0] * BUCKETS), values)
            else:
                found_medians = percentiles_by(rows, "duration", "person", (0.5,))
                medians[name] = {key: median for key, (_n, median) in found_medians.items()}
    for name, found_histograms in histograms.items():
        for agent_id, counted in found_histograms.items():
            medians[name][agent_id] = histogram_percentile(counted, 0.5)
    logged = {
        agent_id: totals.minutes
        for agent_id, totals in list_agents_time_totals(report.group_ids, since=report.start, until=report.end).items()
        if totals.minutes and report.agent_id in (None, agent_id)
    }
    agents = {key for key, found in counts.items() if any(found.values())} | set(logged)
    agents |= {key for found in medians.values() for key, median in found.items() if median is not None}
    return [
        AgentRow(
            agent_id,
            handled=counts[agent_id]["closed"],
            replies=counts[agent_id]["replies"],
            first_response_median=medians["fr"].get(agent_id),
            handle_median=medians["ht"].get(agent_id),
            success=counts[agent_id]["success"],
            success_cancelled=counts[agent_id]["success_cancelled"],
            logged_minutes=logged.get(agent_id, 0),
        )
        for agent_id in sorted(agents)
    ]


def _live_agent_figures(
    report: ReportFilter, split: Split, counts: dict[int, dict[str, int]]
) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """Adds the replies and closes of the days read live to ``counts`` (two queries); returns
    the first responses of the tickets owned and the handle times of those days, as ``duration``
    per ``person``, to be read."""
    scope = report.tickets()
    replies = Activity.objects.filter(
        split.moment_in("created_at"), kind__in=ActivityKind.answer_kinds(), actor__isnull=False
    ).filter(Exists(scope.filter(pk=OuterRef("ticket_id"))))  # per answer, the ticket by its key
    if report.agent_id is not None:
        replies = replies.filter(actor_id=report.agent_id)
    for found in replies.values("actor_id").annotate(n=Count("id")).order_by():
        counts[found["actor_id"]]["replies"] += found["n"]
    closes = (
        scope.filter(split.moment_in("closed_at"), owner__isnull=False)
        .values("owner_id")
        .annotate(
            n=Count("id"),
            success=Count("id", filter=Q(status__kind=StatusKind.CLOSED_SUCCESS)),
            cancelled=Count("id", filter=Q(status__kind=StatusKind.SUCCESS_CANCELLED)),
        )
        .order_by()
    )
    for found in closes:
        owner = counts[found["owner_id"]]
        owner["closed"] += found["n"]
        owner["success"] += found["success"]
        owner["success_cancelled"] += found["cancelled"]
    first = with_first_response(scope.filter(split.moment_in("created_at"), owner__isnull=False)).annotate(
        duration=F("first_response"), person=F("owner_id")
    )
    handles = HandleTime.objects.filter(split.moment_in("replied_at")).filter(
        Exists(scope.filter(pk=OuterRef("ticket_id")))
    )
    if report.agent_id is not None:
        handles = handles.filter(agent_id=report.agent_id)
    return first, handles.annotate(duration=Cast("seconds", FloatField()), person=F("agent_id"))
