from __future__ import annotations

from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "switchboard.tickets"
    label = "tickets"

    def ready(self) -> None:
        from switchboard.contacts.signals import contact_renamed
        from switchboard.tickets.search import reindex_contact_name

        contact_renamed.connect(reindex_contact_name, dispatch_uid="tickets.reindex_contact_name")
