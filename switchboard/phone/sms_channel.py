"""The "sms" channel (ARCHITECTURE): the stored parameters of the provider's SMS webhook become an
``Inbound`` for the intake pipeline; the outbox delivers through the provider (``sms.deliver_sms``).

The photos of an MMS are not in the parameters, only their addresses at the provider: a job
fetches them once the text is on its ticket (``applied``: ``sms_tasks.fetch_sms_media``)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from switchboard.contacts.points import normalise_phone
from switchboard.intake.channels import Channel
from switchboard.intake.inbound import Inbound, Person
from switchboard.phone import sms_tasks
from switchboard.phone.channel import our_numbers
from switchboard.phone.sms import deliver_sms, media_urls
from switchboard.phone.webhooks import webhook_parameters


def parse_sms(data: bytes) -> Inbound | str:
    """One stored SMS webhook, or why it cannot be read."""
    parameters = webhook_parameters(data)
    if parameters.get("MessageStatus"):
        return "A report on a text we sent, not a message."
    try:
        sender = normalise_phone(parameters.get("From", ""), region=settings.PHONE_REGION)
    except ValidationError:
        return f"The sender {parameters.get('From', '')!r} is not a phone number."
    return Inbound(
        channel="sms",
        sender=Person(address=sender),
        text=parameters.get("Body", ""),
        message_id=parameters.get("MessageSid", ""),
        recipients=[parameters.get("To", "")],
        files_pending=bool(media_urls(parameters)),
    )


def parse_all_sms(messages: list[bytes]) -> list[Inbound | str]:
    return [parse_sms(data) for data in messages]


def queue_media_fetch(raw_message_id: int, inbound: Inbound) -> None:
    """Once an MMS is on its ticket, a job fetches its photos."""
    if inbound.files_pending:
        sms_tasks.fetch_sms_media(raw_message_id)


def sender_of_sms(data: bytes) -> str:
    return webhook_parameters(data).get("From", "")[:254]


SMS_CHANNEL = Channel(
    name="sms",
    parse=parse_all_sms,
    deliver=deliver_sms,
    contact_point_kind="phone",
    autorespond=False,
    ticket_source="sms",
    sender_of=sender_of_sms,
    own_addresses=our_numbers,
    threaded=False,
    applied=queue_media_fetch,
)
