from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.tickets.models import Ticket


class RawMessage(models.Model):
    """Every inbound message exactly as received, stored and committed before the source is
    acknowledged (MAIL-13). Idempotent by (channel, source key): the same message fetched twice
    is stored once."""

    class State(models.TextChoices):
        STORED = "stored", _("Stored, not yet applied")
        APPLIED = "applied", _("Applied to a ticket")
        DROPPED = "dropped", _("Dropped by a rule")
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

    class Meta:
        verbose_name = _("raw message")
        verbose_name_plural = _("raw messages")
        constraints = [
            models.UniqueConstraint(fields=["channel", "source_key"], name="raw_message_unique_source"),
        ]
        indexes = [models.Index(fields=["state", "received_at"], name="raw_message_state")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.source_key}"
