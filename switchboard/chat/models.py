"""A live chat on the website (SELF-04): one visitor's conversation with the group's agents.

Its lines are the ticket's own timeline entries (kind chat); ``ChatLine`` only says which of them
belong to this chat, for the visitor's page after a reload and for the transcript."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.tickets.models import Activity, Group, Ticket


def key_digest(key: str) -> str:
    """What is stored of a visitor's secret key: its SHA-256, so that the database does not hold
    a key that opens the chat."""
    return hashlib.sha256(key.encode()).hexdigest()


class ChatSession(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", _("waiting for an agent")
        ACTIVE = "active", _("in progress")
        ENDED = "ended", _("ended")

    class Ending(models.TextChoices):
        NONE = "", _("not ended")
        VISITOR = "visitor", _("by the visitor")
        AGENT = "agent", _("by the agent")
        IDLE = "idle", _("after a quiet while")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="chats")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="chats")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    key_digest = models.CharField(max_length=64, unique=True)
    # The visitor's IP address as a keyed hash (core.secrets.keyed_hash): counted, never read back.
    ip_hash = models.CharField(max_length=64, blank=True, default="")
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.WAITING)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="chats"
    )
    ending = models.CharField(max_length=10, choices=Ending.choices, default=Ending.NONE, blank=True)
    started_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(db_index=True)
    transcript_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("chat")
        verbose_name_plural = _("chats")
        indexes = [
            models.Index(fields=["group", "state"], name="chat_group_state"),
            models.Index(fields=["started_at"], name="chat_started_at"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.state})"

    @property
    def is_ended(self) -> bool:
        return self.state == self.State.ENDED


class ChatLine(models.Model):
    """One message of the chat: a timeline entry of its ticket."""

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="lines")
    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="chat_line")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.activity_id}"
