"""The "voice" channel in the intake's registry: a stored webhook's parameters as an ``Inbound``
(the caller's E.164 number, the provider's transcript if any). The webhooks apply calls and
voicemails themselves (actions.py) and mark their raw messages applied; this is how the intake
reads one again (an administrator's retry of a quarantined message)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from switchboard.contacts.points import normalise_phone
from switchboard.intake.channels import Channel
from switchboard.intake.inbound import Inbound, Person
from switchboard.phone.webhooks import webhook_parameters


def caller_of(data: bytes) -> str:
    params = webhook_parameters(data)
    return params.get("caller") or params.get("From", "")


def parse_voice(items: list[bytes]) -> list[Inbound | str]:
    parsed: list[Inbound | str] = []
    for data in items:
        params = webhook_parameters(data)
        try:
            sender = normalise_phone(caller_of(data))
        except ValidationError:
            parsed.append(_("The call has no caller number that can be read."))
            continue
        text = params.get("TranscriptionText", "")
        parsed.append(Inbound(channel="voice", sender=Person(address=sender), text=text))
    return parsed


def our_numbers() -> Iterable[str]:
    from switchboard.phone.models import PhoneNumber

    return list(PhoneNumber.objects.values_list("number", flat=True))


VOICE = Channel(
    name="voice",
    parse=parse_voice,
    deliver=None,
    contact_point_kind="phone",
    autorespond=False,
    ticket_source="phone",
    sender_of=caller_of,
    own_addresses=our_numbers,
)
