"""The history of agents' phone states (PHONE-09): one row per state an agent was in, from when
to when, for "time in state" now and for reports later."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.tickets.models.groups import AgentProfile


class AgentStateChange(models.Model):
    """``user`` was in ``state`` (with ``reason`` when not ready) from ``started_at`` until
    ``ended_at`` (empty: still is), switched by ``acting_user`` (empty: the system, e.g. a call
    event or the end of wrap-up)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_states", verbose_name=_("agent")
    )
    state = models.CharField(_("phone state"), max_length=12, choices=AgentProfile.PhoneState.choices)
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("phone state change")
        verbose_name_plural = _("phone state changes")
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["user", "started_at"], name="agent_state_user_started")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.state} {self.started_at:%Y-%m-%d %H:%M:%S}"
