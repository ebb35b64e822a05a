"""The "chat" channel (ARCHITECTURE): a visitor's chat message, stored as JSON and read back as an
``Inbound`` for the intake pipeline. The first message of a chat finds or opens the contact's
ticket like any channel's; the later ones carry the chat's ticket as ``ticket_id``, which the
channel has proven (the visitor holds the chat's secret key)."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass

from switchboard.intake.channels import Channel
from switchboard.intake.inbound import Inbound, Person
from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.tickets.models import Group


@dataclass
class ChatMessage:
    email: str  # lower-case
    name: str
    text: str
    ticket_id: int | None = None

    def to_raw(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False).encode()


def parse_chat_message(data: bytes) -> Inbound | str:
    try:
        message = json.loads(data)
        return Inbound(
            channel="chat",
            sender=Person(address=message["email"], name=message.get("name", "")),
            text=message["text"],
            ticket_id=message.get("ticket_id"),
        )
    except (ValueError, KeyError, TypeError) as error:
        return f"Not a chat message: {error}"


def _sender_of(data: bytes) -> str:
    try:
        return str(json.loads(data).get("email", ""))
    except (ValueError, AttributeError):
        return ""


CHAT_CHANNEL = Channel(
    name="chat",
    parse=lambda items: [parse_chat_message(data) for data in items],
    deliver=None,  # answers are shown live in the chat (switchboard.chat.actions), never queued
    contact_point_kind="email",
    autorespond=False,  # the visitor is in the chat: no acknowledgement by mail
    ticket_source="chat",
    sender_of=_sender_of,
    live=True,
)


def receive_chat_message(group: Group, message: ChatMessage) -> RawMessage:
    """Store the message (committed: nothing is lost), then put it on its ticket. Returns the
    stored message, applied with its ticket and timeline entry, or not applied with the reason."""
    (raw,) = do_store_raw_messages([RawItem("chat", uuid.uuid4().hex, message.to_raw(), group)])
    do_apply_raw_messages([raw])
    raw.refresh_from_db()
    return raw
