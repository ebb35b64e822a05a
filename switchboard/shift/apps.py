from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShiftConfig(AppConfig):
    """The agent's shift (seed 003): the time clock, the queue reports, outages and their banner."""

    name = "switchboard.shift"
    label = "shift"
    verbose_name = _("Shifts")
