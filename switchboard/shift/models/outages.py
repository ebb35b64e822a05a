"""Outages (ADMIN-05): a network node out in an area, from its start until it is over."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.shift.models.areas import Area
from switchboard.shift.models.broadcasts import Broadcast


class Outage(models.Model):
    """An outage in ``area``: open while ``ended_at`` is empty."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="outages", verbose_name=_("area"))
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    description = models.TextField(_("what is out"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    broadcast = models.ForeignKey(
        Broadcast,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outages",
        verbose_name=_("banner"),
    )
    incident = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parent incident"),
    )

    class Meta:
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["area"], condition=models.Q(ended_at__isnull=True), name="outage_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["area"], condition=models.Q(ended_at__isnull=True), name="outage_one_open_per_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
