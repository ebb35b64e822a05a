"""Time per ticket (AGENT-07): the reads. Totals of logged time and handle time per ticket, per
agent and per group, each one SQL aggregate whatever the number of entries. The ticket page shows
a ticket's; the reports (ADMIN-02) are to read the per-agent and per-group totals from here, over
a period, rather than sum the rows themselves.

A group's totals are by the group a ticket was in when the time was logged or the reply sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Count, QuerySet, Sum, Window

from switchboard.tickets.models import HandleTime, Ticket, TimeEntry

Row = TypeVar("Row", TimeEntry, HandleTime)


@dataclass(frozen=True)
class TimeTotals:
    """Logged minutes (entries: how many) and handle time (replies: how many, seconds)."""

    minutes: int
    entries: int
    handle_seconds: int
    replies: int

    @property
    def average_handle_seconds(self) -> int | None:
        return self.handle_seconds // self.replies if self.replies else None


@dataclass(frozen=True)
class TicketTime:
    """The ticket page's "Time": the ticket's total and its latest entries (newest first)."""

    minutes: int
    count: int
    latest: list[TimeEntry]

    @property
    def more(self) -> int:
        return self.count - len(self.latest)


def get_ticket_time(ticket: Ticket, *, limit: int = 10) -> TicketTime:
    """One query, whatever the number of entries: the latest ``limit`` entries with their agents,
    each with the total of all of them (window aggregates, counted before the limit)."""
    rows = list(
        TimeEntry.objects.filter(ticket=ticket)
        .select_related("agent__agent_profile")
        .annotate(all_minutes=Window(Sum("minutes")), all_count=Window(Count("id")))
        .order_by("-created_at", "-id")[:limit]
    )
    if not rows:
        return TicketTime(minutes=0, count=0, latest=[])
    latest: list[TimeEntry] = [*rows]
    return TicketTime(minutes=rows[0].all_minutes or 0, count=rows[0].all_count, latest=latest)


def _between(rows: QuerySet[Row], field: str, since: dt.datetime | None, until: dt.datetime | None) -> QuerySet[Row]:
    if since is not None:
        rows = rows.filter(**{f"{field}__gte": since})
    if until is not None:
        rows = rows.filter(**{f"{field}__lt": until})
    return rows


def _totals(
    entries: QuerySet[TimeEntry], handles: QuerySet[HandleTime], since: dt.datetime | None, until: dt.datetime | None
) -> TimeTotals:
    logged = _between(entries, "created_at", since, until).aggregate(minutes=Sum("minutes"), entries=Count("id"))
    handled = _between(handles, "replied_at", since, until).aggregate(seconds=Sum("seconds"), replies=Count("id"))
    return TimeTotals(
        minutes=logged["minutes"] or 0,
        entries=logged["entries"],
        handle_seconds=handled["seconds"] or 0,
        replies=handled["replies"],
    )


def get_ticket_time_totals(ticket: Ticket) -> TimeTotals:
    """A ticket's logged time and handle time: two queries."""
    return _totals(TimeEntry.objects.filter(ticket=ticket), HandleTime.objects.filter(ticket=ticket), None, None)


def get_agent_time_totals(
    agent_id: int, *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> TimeTotals:
    """An agent's logged time and handle time over [since, until): two queries."""
    return _totals(
        TimeEntry.objects.filter(agent_id=agent_id), HandleTime.objects.filter(agent_id=agent_id), since, until
    )


def get_group_time_totals(
    group_id: int, *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> TimeTotals:
    """A group's logged time and handle time over [since, until): two queries."""
    return _totals(
        TimeEntry.objects.filter(group_id=group_id), HandleTime.objects.filter(group_id=group_id), since, until
    )


def list_agent_time_totals(
    group_id: int, *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> dict[int, TimeTotals]:
    """Every agent's totals in a group over [since, until), by agent id (a report's table): two
    queries, grouped in SQL, whatever the number of agents and entries."""
    return list_agents_time_totals([group_id], since=since, until=until)


def list_agents_time_totals(
    group_ids: Iterable[int], *, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> dict[int, TimeTotals]:
    """Every agent's totals in the groups over [since, until), by agent id: two queries."""
    group_ids = list(group_ids)
    logged = (
        _between(TimeEntry.objects.filter(group_id__in=group_ids), "created_at", since, until)
        .values("agent_id")
        .annotate(minutes=Sum("minutes"), entries=Count("id"))
        .order_by()
    )
    handled = (
        _between(HandleTime.objects.filter(group_id__in=group_ids), "replied_at", since, until)
        .values("agent_id")
        .annotate(seconds=Sum("seconds"), replies=Count("id"))
        .order_by()
    )
    minutes = {row["agent_id"]: (row["minutes"], row["entries"]) for row in logged}
    handles = {row["agent_id"]: (row["seconds"], row["replies"]) for row in handled}
    return {
        agent: TimeTotals(
            minutes=minutes.get(agent, (0, 0))[0],
            entries=minutes.get(agent, (0, 0))[1],
            handle_seconds=handles.get(agent, (0, 0))[0],
            replies=handles.get(agent, (0, 0))[1],
        )
        for agent in sorted(minutes.keys() | handles.keys())
    }
