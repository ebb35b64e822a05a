from __future__ import annotations

from collections.abc import Iterable

from django.apps import AppConfig


def _mailbox_addresses() -> Iterable[str]:
    from switchboard.mail.models import Mailbox

    return Mailbox.objects.values_list("username", flat=True)


class MailConfig(AppConfig):
    name = "switchboard.mail"
    label = "mail"
    verbose_name = "Mail"

    def ready(self) -> None:
        from switchboard.intake.channels import Channel, register_channel
        from switchboard.mail.parse import parse_all, sender_of
        from switchboard.mail.send import send_email

        register_channel(
            Channel(
                name="email",
                parse=parse_all,
                deliver=send_email,
                contact_point_kind="email",
                autorespond=True,
                ticket_source="email",
                sender_of=sender_of,
                own_addresses=_mailbox_addresses,
            )
        )
