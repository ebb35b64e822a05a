from __future__ import annotations

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "switchboard.intake"
    label = "intake"

    def ready(self) -> None:
        from switchboard.intake.messenger import OutboxMessenger
        from switchboard.tickets.messaging import register_messenger

        register_messenger(OutboxMessenger())
