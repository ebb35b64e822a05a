"""The queue report (PHONE-08): every ``Group.queue_report_minutes`` of an agent's shift, the
figures of the phone queue (calls waiting, minutes the longest has waited) and whether a network
node is out, and where. The phone channel has no live call queue here (calls reach an IVR menu and
voicemail), so these reports, and a manager's figures entered by hand, are the queue figures.

One row per agent, group and due time (a unique constraint): the minute job
(``queue_reports.do_open_due_reports``) creates the rows that have come due, idempotently; the
dialog asks for the newest unfiled one until it is filed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.shift.models.areas import Area


class QueueReport(models.Model):
    class Via(models.TextChoices):
        PAGE = "page", _("the dialog")
        EMAIL = "email", _("email")
        MANAGER = "manager", _("a manager, by hand")

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="queue_reports", verbose_name=_("agent")
    )
    group = models.ForeignKey(
        "tickets.Group", on_delete=models.CASCADE, related_name="queue_reports", verbose_name=_("group")
    )
    # Empty for a manager's figures entered by hand: they were not due.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    notified_at = models.DateTimeField(_("asked for"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)
    missed_at = models.DateTimeField(_("missed"), null=True, blank=True)
    calls_waiting = models.PositiveSmallIntegerField(_("calls in queue"), null=True, blank=True)
    minutes_waiting = models.PositiveSmallIntegerField(_("minutes waiting"), null=True, blank=True)
    outage = models.BooleanField(_("outage"), default=False)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="queue_reports", verbose_name=_("area")
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    via = models.CharField(_("filed through"), max_length=10, choices=Via.choices, blank=True)

    class Meta:
        verbose_name = _("queue report")
        verbose_name_plural = _("queue reports")
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "group", "due_at"], name="queue_report_one_per_due_time"),
        ]
        indexes = [
            models.Index(fields=["group", "due_at"], name="queue_report_group_due"),
            models.Index(fields=["group", "filed_at"], name="queue_report_group_filed"),
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.group_id} {self.due_at}"
