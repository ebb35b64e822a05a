from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Messages from the website: the group's web form and the customer portal's answers (SELF-01, SELF-03)."""

    name = "switchboard.web"
    label = "web"
    verbose_name = _("Website")

    def ready(self) -> None:
        from switchboard.intake.channels import register_channel
        from switchboard.web.channel import WEB_CHANNEL

        register_channel(WEB_CHANNEL)
