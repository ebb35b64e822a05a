"""The domain's one low interface to the messages it receives and asks to be sent (ARCHITECTURE,
layers): ``tickets`` never imports ``intake`` or a channel.

A reply, a notice to the contact, an email to a ticket's owner and the agents' notifications are
asked for here; ``intake`` registers the ``Messenger`` that composes them from the group's
templates, chooses the channel and queues them in the outbox, in the caller's transaction
(``IntakeConfig.ready``). A message from outside reaches the timeline as an ``IncomingMessage``:
what every channel's ``Inbound`` carries."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from django.conf import settings

if TYPE_CHECKING:
    import datetime as dt

    from django.contrib.auth.models import User

    from switchboard.tickets.models import Activity, Attachment, Group, Ticket


# The agent's own words in a sent reply's HTML lie between these marks, which the outbound
# pipeline puts around them: the greeting and sign-off it adds are outside (a solution saved from
# the reply, AGENT-04, leaves them out). Sanitised HTML holds no comments, so no answer fakes them.
ANSWER_START, ANSWER_END = "<!--answer-->", "<!--/answer-->"


class Notice(StrEnum):
    """A notice the group sends the contact of its own accord (MAIL-08)."""

    RESOLUTION = "resolution"
    ESCALATION = "escalation"


class OutgoingMessage(Protocol):
    """A composed message, as the ticket's timeline records it."""

    @property
    def from_address(self) -> str: ...
    @property
    def to_address(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def html(self) -> str: ...
    @property
    def message_id(self) -> str: ...


class Sender(Protocol):
    @property
    def address(self) -> str: ...


class IncomingAttachment(Protocol):
    @property
    def filename(self) -> str: ...
    @property
    def content_type(self) -> str: ...
    @property
    def content(self) -> bytes: ...
    @property
    def content_id(self) -> str: ...


class IncomingCall(Protocol):
    """How a phone call went (``intake.inbound.Call``)."""

    @property
    def outcome(self) -> str: ...
    @property
    def outbound(self) -> bool: ...
    @property
    def duration(self) -> int: ...
    @property
    def provider_id(self) -> str: ...


class IncomingMessage(Protocol):
    """A message from outside, whatever its channel (``intake.inbound.Inbound``)."""

    @property
    def channel(self) -> str: ...
    @property
    def sender(self) -> Sender: ...
    @property
    def text(self) -> str: ...
    @property
    def html(self) -> str: ...
    @property
    def attachments(self) -> Sequence[IncomingAttachment]: ...
    @property
    def message_id(self) -> str: ...
    @property
    def recipients(self) -> Sequence[str]: ...
    @property
    def automatic(self) -> str: ...
    @property
    def problems(self) -> Sequence[str]: ...
    @property
    def call(self) -> IncomingCall | None: ...
    @property
    def files_pending(self) -> bool: ...
    @property
    def client(self) -> str: ...


class Messenger(Protocol):
    def compose_reply(
        self, ticket: Ticket, *, to_address: str, body_html: str, agent: User, cc: list[str] | None
    ) -> OutgoingMessage:
        """The message an agent's answer sends the contact (MAIL-05, MAIL-07)."""

    def compose_notice(self, ticket: Ticket, notice: Notice, *, to_address: str, agent: User | None) -> OutgoingMessage:
        """The group's ``notice`` to the contact, in its template's words."""

    def compose_owner_email(self, ticket: Ticket, *, owner: User, sender: User, message: str) -> OutgoingMessage:
        """An agent's message to the ticket's owner (MAIL-09)."""

    def queue(
        self,
        message: OutgoingMessage,
        *,
        ticket: Ticket,
        activity: Activity | None,
        hold_until: dt.datetime | None = None,
        attachments: Sequence[Attachment] = (),
    ) -> None:
        """Put a message composed here in the outbox; it is sent after the caller's transaction
        commits, or not before ``hold_until``, with the stored ``attachments`` (CORE-16)."""

    def withdraw(self, activity: Activity) -> bool:
        """Take back the held message of ``activity`` (Undo); whether it could still be."""

    def notify_new_ticket(self, ticket: Ticket, *, excerpt: str, acting_user: User | None) -> None:
        """Tell the group's agents who want it, and the category's agents, of a new ticket."""

    def notify_category_agents(self, ticket: Ticket, *, acting_user: User | None) -> None:
        """Tell the agents of the ticket's category, set after it was opened (ROUTE-06)."""

    def notify_new_owner(self, ticket: Ticket, *, acting_user: User | None) -> None:
        """Tell the ticket's new owner, unless they took it themselves."""

    def email_agent(self, to: User, *, group: Group, subject: str, text: str) -> None:
        """An email to an agent about their group, not about a ticket (the shift's notices, such as
        a missed queue report), from the group's address; queued in the caller's transaction."""


_registered: list[Messenger] = []


def register_messenger(messenger: Messenger) -> None:
    """Set the one messenger (``intake`` does, when Django starts)."""
    _registered[:] = [messenger]


def agent_language(user: User) -> str:
    """The language to write to an agent in: the one in their settings, else the site's."""
    profile = getattr(user, "agent_profile", None)
    return getattr(profile, "language", "") or settings.LANGUAGE_CODE


def messenger() -> Messenger:
    if not _registered:
        raise LookupError("No messenger is registered: is switchboard.intake in INSTALLED_APPS?")
    return _registered[0]
