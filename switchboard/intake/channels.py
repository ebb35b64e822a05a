"""The channel registry (ARCHITECTURE, layers): how each channel's stored raw data becomes an
``Inbound`` and how an outbox row of that channel is delivered.

Each channel app registers its channel(s) in its ``AppConfig.ready()``; the pipeline and the
outbox look them up by name and never import a channel."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from switchboard.intake.inbound import Inbound
    from switchboard.intake.models import OutboundMessage


def _no_sender(_data: bytes) -> str:
    return ""


def _no_addresses() -> Iterable[str]:
    return ()


@dataclass(frozen=True)
class Channel:
    name: str  # "email", "voice", "sms": RawMessage.channel, Inbound.channel, OutboundMessage.channel
    parse: Callable[[list[bytes]], list[Inbound | str]]  # stored raw data -> Inbound, or the reason it cannot be read
    deliver: Callable[[OutboundMessage], None] | None  # sends one outbox row; raises intake.delivery.DeliveryError
    contact_point_kind: str  # ContactPoint.Kind of Person.address: "email" or "phone" (E.164)
    autorespond: bool  # whether a new ticket from this channel gets the group's acknowledgement email
    ticket_source: str  # TicketSource value for tickets this channel opens
    # The sender of raw data ``parse`` could not read, "" when unknown: shown with the quarantined message.
    sender_of: Callable[[bytes], str] = _no_sender
    # Our own addresses or numbers on this channel (mailboxes, phone numbers): never a contact's. Called
    # once a batch; channels that share the same function (calls and texts: our numbers) share one call.
    own_addresses: Callable[[], Iterable[str]] = _no_addresses
    # Whether its messages name the ticket they answer (email's headers and tokens). Those of a
    # channel that does not (calls, texts) continue the sender's recently closed ticket (FOLLOW_UP_DAYS).
    threaded: bool = True
    # Called with a raw message's id and its Inbound once the pipeline has put it on a ticket (after
    # the commit): a job fetches what the message only points at (a voicemail's recording).
    applied: Callable[[int, Inbound], None] | None = None
    # Whether an agent reads its messages as they come (a chat): the ticket's owner is not emailed of each.
    live: bool = False


_CHANNELS: dict[str, Channel] = {}


class UnknownChannelError(LookupError):
    """No app registered a channel of this name."""


def register_channel(channel: Channel) -> None:
    """Register ``channel`` (from its app's ``ready()``); registering the same name again replaces it."""
    _CHANNELS[channel.name] = channel


def list_channels() -> list[Channel]:
    return list(_CHANNELS.values())


def get_channel(name: str) -> Channel:
    try:
        return _CHANNELS[name]
    except KeyError:
        raise UnknownChannelError(name) from None
