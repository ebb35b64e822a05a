from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "switchboard.portal"
    label = "portal"
    verbose_name = "Portal"
