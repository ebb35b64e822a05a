from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.core.models import TimeStampedModel
from switchboard.tickets.models import Activity, Attachment, Group, Ticket


class RawMessage(models.Model):
    """Every inbound message exactly as received, stored and committed before the source is
    acknowledged (MAIL-13). Idempotent by (channel, source key): the same message fetched twice
    is stored once."""

    class State(models.TextChoices):
        STORED = "stored", _("Stored, not yet applied")
        APPLIED = "applied", _("Applied to a ticket")
        DROPPED = "dropped", _("Dropped by a rule")
        BLOCKED = "blocked", _("From a blocked sender")
        QUARANTINED = "quarantined", _("Quarantined")

    channel = models.CharField(_("channel"), max_length=20)
    source_key = models.CharField(
        _("source key"), max_length=300, help_text=_("Where it came from, e.g. mailbox + UID validity + UID.")
    )
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    data = models.BinaryField(_("raw bytes"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.STORED)
    reason = models.TextField(_("reason"), blank=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    ticket = models.ForeignKey(Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text=_("Where it came in.")
    )
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    automatic = models.CharField(_("automatic mail"), max_length=200, blank=True, help_text=_("Why, if it is."))

    class Meta:
        verbose_name = _("raw message")
        verbose_name_plural = _("raw messages")
        constraints = [
            models.UniqueConstraint(fields=["channel", "source_key"], name="raw_message_unique_source"),
        ]
        indexes = [
            models.Index(fields=["state", "received_at"], name="raw_message_state"),
            models.Index(fields=["sender", "received_at"], name="raw_message_sender"),
            models.Index(fields=["message_id"], name="raw_message_message_id"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.source_key}"


class OutboundMessage(TimeStampedModel):
    """The outbox (ARCHITECTURE, outbound pipeline): a message to send, written in the same
    transaction as the activity it belongs to, then sent by a job with retries. Every attempt is
    counted before it is made, so a crash between sending and recording leaves a trace."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not sent")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Failure(models.TextChoices):
        """Why a message was given up on, in the words the ticket's timeline shows."""

        REFUSED = "refused", _("the receiving mail server refused it for good")
        UNSENDABLE = (
            "unsendable",
            _(
                "it cannot be sent as it is, because its subject or an address holds a line break or another "
                "character that email does not allow"
            ),
        )
        GAVE_UP = "gave_up", _("every attempt failed, and it will not be tried again")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="outbound_message"
    )
    # The stored files sent with it (an agent's reply, CORE-16): read anew at every attempt.
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+", verbose_name=_("attachments"))
    channel = models.CharField(_("channel"), max_length=20, default="email")
    from_address = models.CharField(_("from"), max_length=320)
    to_address = models.CharField(_("to"), max_length=1000)
    cc = models.CharField(_("cc"), max_length=1000, blank=True)
    reply_to = models.CharField(_("Reply-To"), max_length=320, blank=True)
    automatic = models.BooleanField(
        _("automatic"), default=False, help_text=_("An autoresponse: sent with Auto-Submitted: auto-replied.")
    )
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, unique=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=998, blank=True)
    references = models.TextField(_("References"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    failure = models.CharField(
        _("why not sent"), max_length=12, choices=Failure.choices, blank=True, help_text=_("Once given up on.")
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    not_before = models.DateTimeField(
        _("held until"), null=True, blank=True, help_text=_("Until then the sender may still take it back (Undo).")
    )

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        indexes = [models.Index(fields=["state", "created_at"], name="outbound_state")]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to_address}: {self.subject}"


class AgentReplyAddress(TimeStampedModel):
    """The secret address an agent's notifications about one ticket carry as Reply-To: mail that
    arrives at it from the agent's address is the agent's emailed answer (MAIL-06, mail trust).
    The token is unguessable; it stops working when revoked, and when the agent leaves the
    ticket's group or is deactivated."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("agent")
    )
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+", verbose_name=_("ticket"))
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent's reply address")
        verbose_name_plural = _("agents' reply addresses")
        constraints = [models.UniqueConstraint(fields=["user", "ticket"], name="agent_reply_address_unique")]

    def __str__(self) -> str:
        return f"{self.user} · #{self.ticket.number}"


class BlockedSender(TimeStampedModel):
    """A sender whose mail is dropped without a ticket (MAIL-10): an address, or a whole domain
    written as "@example.com", optionally only when the subject matches a pattern."""

    sender = models.CharField(
        _("address or @domain"), max_length=254, unique=True, help_text=_("spam@example.com or @example.com")
    )
    subject_pattern = models.CharField(
        _("subject pattern"),
        max_length=200,
        blank=True,
        help_text=_("A regular expression; empty blocks every message of the sender."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    dropped = models.PositiveIntegerField(_("messages dropped"), default=0)

    class Meta:
        verbose_name = _("blocked sender")
        verbose_name_plural = _("blocked senders")

    def __str__(self) -> str:
        return self.sender

    def clean(self) -> None:
        try:
            re.compile(self.subject_pattern)
        except re.error as error:
            raise ValidationError({"subject_pattern": _("Not a valid pattern: %(error)s") % {"error": error}}) from None

    def save(self, *args: object, **kwargs: object) -> None:
        self.sender = self.sender.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class TemplateKind(models.TextChoices):
    """The mail a contact receives from a group (MAIL-08)."""

    AUTORESPONSE = "autoresponse", _("Acknowledgement of a new ticket")
    REPLY = "reply", _("Agent's reply")
    ESCALATION = "escalation", _("Escalation notice")
    RESOLUTION = "resolution", _("Resolution notice")


class MessageTemplate(TimeStampedModel):
    """A group's own wording of one kind of mail; without one, the built-in wording is used."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="message_templates")
    kind = models.CharField(_("kind"), max_length=20, choices=TemplateKind.choices)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [models.UniqueConstraint(fields=["group", "kind"], name="message_template_unique_kind")]

    def __str__(self) -> str:
        return f"{self.group}: {self.get_kind_display()}"
