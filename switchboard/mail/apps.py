from __future__ import annotations

from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "switchboard.mail"
    label = "mail"
    verbose_name = "Mail"
