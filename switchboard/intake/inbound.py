"""What every channel adapter hands to the intake pipeline (ARCHITECTURE): one normalised message.

An adapter only turns its protocol into an ``Inbound``; contact matching, threading, the
one-open-ticket rule, blacklists and loop protection live once, in ``pipeline.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class UnreadableMessageError(Exception):
    """The message cannot be turned into a ticket entry; the reason is shown to administrators."""


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str = ""  # for inline images referenced as cid:… in the HTML


@dataclass(frozen=True)
class Person:
    address: str  # lower-case email address or E.164 number
    name: str = ""


@dataclass(frozen=True)
class DeliveryReport:
    """What a bounce or delivery status notification says about a message it returns."""

    failed: bool  # False for a delay warning or a "delivered" notice
    recipients: tuple[str, ...]  # lower-case addresses the report is about
    reason: str  # the receiving server's words (Diagnostic-Code, else Status), "" when none
    returned_message_ids: tuple[str, ...]  # Message-IDs of the returned message, from its copy or headers
    returned_subject: str = ""


@dataclass(frozen=True)
class Call:
    """How a phone call went (PHONE-07), for a call's or a voicemail's entry on the timeline."""

    outcome: str  # "answered", "not_answered", "missed" or "voicemail"
    outbound: bool  # we called the contact
    duration: int  # seconds: of the call, or of the voicemail's recording
    provider_id: str  # the provider's id of the call, or of the voicemail's recording
    recording_url: str = ""  # a voicemail's audio at the provider, fetched by a job once it is on its ticket


@dataclass
class Inbound:
    channel: str
    sender: Person
    subject: str = ""
    text: str = ""  # the whole plain text, earlier quoted text included (the timeline folds it)
    html: str = ""  # sanitised; cid: references still to be pointed at the stored attachments
    attachments: list[InboundAttachment] = field(default_factory=list)
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)  # In-Reply-To, then References, newest first
    recipients: list[str] = field(default_factory=list)  # the addresses it was sent to (To, Delivered-To)
    cc: list[Person] = field(default_factory=list)
    automatic: str = ""  # why it is automatic mail (MAIL-11), "" for a person's message
    problems: list[str] = field(default_factory=list)  # what could not be kept as sent, for the timeline
    # Authentication-Results headers (RFC 8601), topmost first: what the receiving servers checked.
    authentication_results: list[str] = field(default_factory=list)
    delivery_report: DeliveryReport | None = None  # a bounce's account of the message it returns
    call: Call | None = None  # a call or a voicemail: how it went
    files_pending: bool = False  # files still to be fetched from the provider by a job (a recording, MMS photos)
    # The ticket the message answers, proven by the channel (a signed-in contact's own ticket, a
    # chat's ticket): it goes there, whatever it says. Never taken from what a sender wrote.
    ticket_id: int | None = None
    category_id: int | None = None  # the group's category the sender chose (web form): a new ticket's
    form_values: dict[str, object] = field(default_factory=dict)  # the group's form, filled in: a new ticket's
    client: str = ""  # the browser and operating system of a message from the website
