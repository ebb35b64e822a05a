from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """A place a network node serves (a city, a district): outages are in an area, and a queue
    report that says "outage: yes" names one (PHONE-08, ADMIN-05). Administrators keep the list."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name
