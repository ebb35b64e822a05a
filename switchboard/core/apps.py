from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "switchboard.core"
    label = "core"


class SwitchboardAdminConfig(admin_apps.AdminConfig):
    """The Django admin, open to administrators (superusers) only."""

    default = False
    default_site = "switchboard.core.admin_site.SwitchboardAdminSite"
