"""Service levels (ROUTE-07): a group's calendar and targets, and each ticket's clock."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.core.models import TimeStampedModel
from switchboard.tickets.models.groups import Group
from switchboard.tickets.models.tickets import Ticket


class ServiceLevel(TimeStampedModel):
    """A group's service level: a calendar (weekly hours, holidays, time zone), the targets in
    business minutes, when a ticket counts as near breach, and what a breach sets off. A group
    without one (or with no target) has no clock on its tickets."""

    class BreachRule(models.TextChoices):
        NOTIFY_OWNER = "owner", _("Tell the owner")
        NOTIFY_MANAGERS = "managers", _("Tell the managers")
        SECOND_LEVEL = "level2", _("Pass it to the 2nd level")

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="service_level")
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Warsaw")
    # Weekday (0 Monday … 6 Sunday) → [["09:00", "17:00"], …]; empty everywhere: round the clock.
    week = models.JSONField(_("working hours"), default=dict, blank=True)
    holidays = models.JSONField(_("holidays"), default=list, blank=True, help_text=_("ISO dates."))
    first_response_minutes = models.PositiveIntegerField(_("first response within (minutes)"), null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(_("resolution within (minutes)"), null=True, blank=True)
    near_percent = models.PositiveSmallIntegerField(_("near breach at (per cent of the target)"), default=80)
    breach_rule = models.CharField(
        _("on breach"), max_length=10, choices=BreachRule.choices, default=BreachRule.NOTIFY_OWNER
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")

    def __str__(self) -> str:
        return str(self.group)

    def calendar_zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class TicketClock(models.Model):
    """A ticket's service-level clock, kept by the actions as the ticket changes: the business
    time it has used (``used_seconds``, up to ``running_since``), running or paused (in the
    waiting-for-the-contact, scheduled and pending kinds, and when closed), and while running
    the moments it is due and near due. ``due_at`` is the next target's (the first response's
    until it is given, then the resolution's): the lists sort and flag by it. A breach is acted
    on once: ``*_breached_at`` is set when it was."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="service_clock")
    used_seconds = models.PositiveIntegerField(default=0)
    running_since = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    # The business time the clock had used when the first response was given (the reports'
    # first-response time in working hours, ADMIN-02).
    first_response_seconds = models.PositiveIntegerField(null=True, blank=True)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    near_at = models.DateTimeField(null=True, blank=True)
    first_response_breached_at = models.DateTimeField(null=True, blank=True)
    resolution_breached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("service-level clock")
        verbose_name_plural = _("service-level clocks")

    def __str__(self) -> str:
        return f"clock of #{self.ticket_id}"
