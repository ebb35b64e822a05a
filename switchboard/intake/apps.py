from __future__ import annotations

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "switchboard.intake"
    label = "intake"

    def ready(self) -> None:
        from switchboard.intake.messenger import OutboxMessenger
        from switchboard.tickets.messaging import register_messenger

        register_messenger(OutboxMessenger())

        from switchboard.contacts.signals import contact_erasing
        from switchboard.intake.erasure import erase_contact_messages

        contact_erasing.connect(erase_contact_messages, dispatch_uid="intake.erase_contact_messages")
