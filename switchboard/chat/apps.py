from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    """Live chat on the website, answered by the group's agents (SELF-04)."""

    name = "switchboard.chat"
    label = "chat"
    verbose_name = _("Live chat")

    def ready(self) -> None:
        from switchboard.chat.channel import CHAT_CHANNEL
        from switchboard.intake.channels import register_channel

        register_channel(CHAT_CHANNEL)
