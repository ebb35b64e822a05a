"""Time per ticket (AGENT-07): what agents log on a ticket (by the ticket page's timer or by
hand), and the handle time recorded with each reply they send.

Both keep the ticket's group at the time, so the totals per group (tickets/time_selectors.py)
do not move when a ticket moves to another group later."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from switchboard.tickets.models.activities import Activity
from switchboard.tickets.models.groups import Group
from switchboard.tickets.models.tickets import Ticket

# One entry may hold at most this many minutes: a longer one is a typing mistake (a day of work
# is logged as several entries).
MAX_ENTRY_MINUTES = 12 * 60
TIME_NOTE_LENGTH = 500


class TimeSource(models.TextChoices):
    TIMER = "timer", _("timer")
    MANUAL = "manual", _("by hand")


class TimeEntry(models.Model):
    """Minutes an agent spent on a ticket, logged by themselves."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="time_entries")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=TIME_NOTE_LENGTH, blank=True)
    source = models.CharField(max_length=8, choices=TimeSource.choices, default=TimeSource.MANUAL)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["agent", "created_at"], name="time_entry_agent_time"),
            models.Index(fields=["group", "created_at"], name="time_entry_group_time"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(minutes__gt=0), name="time_entry_minutes_positive")]

    def __str__(self) -> str:
        return f"{self.minutes} min on {self.ticket_id} by {self.agent_id}"


class HandleTime(models.Model):
    """A reply's handle time: from the ticket's assignment to its agent (or their previous reply
    on it since) to this reply. Recorded by the reply's action (tickets/time_tracking.py)."""

    reply = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="handle_time")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    replied_at = models.DateTimeField()
    seconds = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["agent", "replied_at"], name="handle_time_agent_time"),
            models.Index(fields=["group", "replied_at"], name="handle_time_group_time"),
            models.Index(fields=["ticket", "agent", "replied_at"], name="handle_time_ticket_agent"),
        ]

    def __str__(self) -> str:
        return f"{self.seconds} s to reply {self.reply_id}"
