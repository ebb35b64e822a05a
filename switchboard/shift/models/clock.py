"""The time clock (AGENT-05): an agent's shifts, from clocking in to clocking out, their breaks,
and the managers' corrections of either."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Shift(models.Model):
    """One shift of ``agent``'s: open (``ended_at`` empty) from clocking in until clocking out.
    An agent has at most one open shift."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("agent")
    )
    started_at = models.DateTimeField(_("clocked in"))
    ended_at = models.DateTimeField(_("clocked out"), null=True, blank=True)
    # Closed by the job at the group's shift length, not by the agent: the manager sees it flagged.
    auto_closed = models.BooleanField(_("closed automatically"), default=False)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent"], condition=models.Q(ended_at__isnull=True), name="shift_one_open_per_agent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.started_at:%Y-%m-%d %H:%M}"


class BreakReason(models.TextChoices):
    """Why an agent is on a break: a fixed list (seed 003's lunch and short breaks, and the time
    taken off the phones for training and meetings)."""

    LUNCH = "lunch", _("Lunch")
    SHORT = "short", _("Short break")
    TRAINING = "training", _("Training")
    MEETING = "meeting", _("Meeting")


class Break(models.Model):
    """A break within ``shift``: open (``ended_at`` empty) until the agent is back. Breaks are not
    worked time; a shift has at most one open break."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="breaks", verbose_name=_("shift"))
    started_at = models.DateTimeField(_("break started"))
    ended_at = models.DateTimeField(_("break ended"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=16, choices=BreakReason.choices)

    class Meta:
        verbose_name = _("break")
        verbose_name_plural = _("breaks")
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift"], condition=models.Q(ended_at__isnull=True), name="break_one_open_per_shift"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shift} {self.reason} {self.started_at:%H:%M}"


class ShiftCorrection(models.Model):
    """A manager's change of a shift's or a break's start or end: who, when, why, old and new."""

    class Field(models.TextChoices):
        SHIFT_START = "shift_start", _("Clocked in")
        SHIFT_END = "shift_end", _("Clocked out")
        BREAK_START = "break_start", _("Break started")
        BREAK_END = "break_end", _("Break ended")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("shift"))
    brk = models.ForeignKey(
        Break, on_delete=models.CASCADE, null=True, blank=True, related_name="corrections", verbose_name=_("break")
    )
    field = models.CharField(_("what"), max_length=16, choices=Field.choices)
    old_value = models.DateTimeField(_("before"), null=True, blank=True)
    new_value = models.DateTimeField(_("after"))
    reason = models.CharField(_("why"), max_length=300)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("corrected by")
    )
    corrected_at = models.DateTimeField(_("corrected"))

    class Meta:
        verbose_name = _("shift correction")
        verbose_name_plural = _("shift corrections")
        ordering = ["corrected_at", "pk"]

    def __str__(self) -> str:
        return f"{self.shift} {self.field}"
