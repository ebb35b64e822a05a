"""The "web" channel (ARCHITECTURE): a message sent from the website, by the group's web form or
by a contact signed in to the portal, stored as JSON and read back as an ``Inbound`` for the
intake pipeline. Answers to it go by email, to the address the sender gave."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import asdict, dataclass, field

from switchboard.intake.channels import Channel
from switchboard.intake.inbound import Inbound, InboundAttachment, Person
from switchboard.intake.models import RawMessage
from switchboard.intake.pipeline import RawItem, do_apply_raw_messages, do_store_raw_messages
from switchboard.tickets.files import NewFile
from switchboard.tickets.models import Group


@dataclass
class WebMessage:
    """What a visitor sent. ``ticket_id`` only where the sender is proven to be the ticket's
    contact (signed in to the portal); everything else is as they typed it."""

    email: str  # lower-case
    name: str = ""
    subject: str = ""
    text: str = ""
    files: list[NewFile] = field(default_factory=list)
    category_id: int | None = None
    form_values: dict[str, object] = field(default_factory=dict)
    client: str = ""  # browser and operating system, from the User-Agent
    ticket_id: int | None = None

    def to_raw(self) -> bytes:
        data = asdict(self)
        data["files"] = [
            {"filename": f.filename, "content_type": f.content_type, "content": base64.b64encode(f.content).decode()}
            for f in self.files
        ]
        return json.dumps(data, ensure_ascii=False).encode()


def parse_web_message(data: bytes) -> Inbound | str:
    try:
        message = json.loads(data)
        files = [
            InboundAttachment(
                filename=f["filename"], content_type=f["content_type"], content=base64.b64decode(f["content"])
            )
            for f in message.get("files", [])
        ]
        return Inbound(
            channel="web",
            sender=Person(address=message["email"], name=message.get("name", "")),
            subject=message.get("subject", ""),
            text=message.get("text", ""),
            attachments=files,
            ticket_id=message.get("ticket_id"),
            category_id=message.get("category_id"),
            form_values=message.get("form_values") or {},
            client=message.get("client", ""),
        )
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        return f"Not a message from the website: {error}"


def _sender_of(data: bytes) -> str:
    try:
        return str(json.loads(data).get("email", ""))
    except (ValueError, AttributeError):
        return ""


WEB_CHANNEL = Channel(
    name="web",
    parse=lambda items: [parse_web_message(data) for data in items],
    deliver=None,
    contact_point_kind="email",
    autorespond=True,
    ticket_source="web",
    sender_of=_sender_of,
)


def receive_web_message(group: Group, message: WebMessage) -> RawMessage:
    """Store the message (committed: nothing is lost), then put it on its ticket. Returns the
    stored message, applied, with its ticket, or quarantined with the reason."""
    (raw,) = do_store_raw_messages([RawItem("web", uuid.uuid4().hex, message.to_raw(), group)])
    do_apply_raw_messages([raw])
    raw.refresh_from_db()
    return raw
