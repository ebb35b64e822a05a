from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhoneConfig(AppConfig):
    """Calls, voicemail and SMS through a Twilio-compatible provider (PHONE-01..07)."""

    name = "switchboard.phone"
    label = "phone"
    verbose_name = _("Phone and SMS")
