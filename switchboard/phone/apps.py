from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhoneConfig(AppConfig):
    """Calls, voicemail and SMS through a Twilio-compatible provider (PHONE-01..07)."""

    name = "switchboard.phone"
    label = "phone"
    verbose_name = _("Phone and SMS")

    def ready(self) -> None:
        from switchboard.intake.channels import register_channel
        from switchboard.phone import sms_tasks  # noqa: F401 (its jobs, for the worker)
        from switchboard.phone.channel import VOICE
        from switchboard.phone.sms_channel import SMS_CHANNEL

        register_channel(VOICE)
        register_channel(SMS_CHANNEL)
