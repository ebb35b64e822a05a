"""The reports' daily summary (ADMIN-02): per day of the organisation's time zone, the figures of
the Reports page counted once by a job (tickets/report_day_builds.py), so that a report over a
month or a year adds up a few rows a day instead of rereading every ticket and answer. Read by
tickets/report_days.py; why it is shaped so: there.

A whole month is summed once more (``span`` MONTH: rows whose ``day`` is the month's first, built by
the job once all its days are): a report over a year adds up a dozen rows per group and agent
instead of 365 (each row has 150 columns).

Durations are kept as histograms: ``BUCKETS`` counts per figure, bucket 0 under a minute, then
log-spaced buckets a quarter of a doubling wide (each about 19 % wider than the last), the last
one open-ended (from about 128 days)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from switchboard.tickets.models.categories import Category
from switchboard.tickets.models.groups import Group

BUCKETS = 72
# ``span``: a row of one day, or the sums of a whole month (its ``day`` the month's first). Not a
# boolean: Django filters one as ``NOT "month"``, which SQLite cannot read off an index.
DAY, MONTH = 1, 2
HISTOGRAMS = {"first_response": "fr", "resolution": "res", "handle": "ht"}


def bucket_columns(histogram: str) -> list[str]:
    """The columns of one histogram (``fr``, ``res``, ``ht``), bucket 0 first."""
    return [f"{histogram}{index}" for index in range(BUCKETS)]


class ReportDay(models.Model):
    """One day's tickets of one group, channel and category: created that day (with their first
    response and service levels), closed that day (with their resolution)."""

    day = models.DateField()
    span = models.PositiveSmallIntegerField(default=DAY)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+", db_index=False)  # the index below
    source = models.CharField(max_length=10)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    fr_measured = models.PositiveIntegerField(default=0)
    fr_breached = models.PositiveIntegerField(default=0)
    res_measured = models.PositiveIntegerField(default=0)
    res_breached = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["span", "day", "group"], name="report_day_group")]

    def __str__(self) -> str:
        return f"{self.day} {self.group_id} {self.source} {self.category_id}"


class ReportAgentDay(models.Model):
    """One day's figures of one agent in one group: answers sent, tickets closed as their owner
    (with success, success cancelled), first responses of the tickets they own created that
    day, handle times of their replies."""

    day = models.DateField()
    span = models.PositiveSmallIntegerField(default=DAY)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+", db_index=False)  # the index below
    # Not indexed: SQLite read the whole table by it, to group by agent without sorting.
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    replies = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    success = models.PositiveIntegerField(default=0)
    success_cancelled = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["span", "day", "group"], name="report_agent_day_group")]

    def __str__(self) -> str:
        return f"{self.day} {self.group_id} {self.agent_id}"


for _index in range(BUCKETS):
    for _column in ("fr", "res"):
        ReportDay.add_to_class(f"{_column}{_index}", models.PositiveIntegerField(default=0))
    for _column in ("fr", "ht"):
        ReportAgentDay.add_to_class(f"{_column}{_index}", models.PositiveIntegerField(default=0))


class ReportBuiltDay(models.Model):
    """A day the summary holds (built by the job; its rows are those of that day)."""

    day = models.DateField(primary_key=True)
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.day)


class ReportBuiltMonth(models.Model):
    """A month whose MONTH rows the summary holds (its first day), summed from its days."""

    month = models.DateField(primary_key=True)
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.month)


class ReportStaleDay(models.Model):
    """A built day that a change has moved (a ticket created or closed that day was changed, or
    one answered that day moved): read live until the job has built it again."""

    day = models.DateField(primary_key=True)

    def __str__(self) -> str:
        return str(self.day)
