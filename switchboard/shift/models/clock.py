"""The time clock (AGENT-05): an agent's shifts, from clocking in to clocking out."""

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
