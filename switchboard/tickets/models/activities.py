"""A ticket's timeline: activities, their attachments, and the searchable text."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.core.quotes import split_quoted
from switchboard.tickets.models.tickets import Ticket


class ActivityKind(models.TextChoices):
    EMAIL_IN = "email_in", _("Email from contact")
    EMAIL_OUT = "email_out", _("Email to contact")
    NOTE = "note", _("Note")
    ESCALATION = "escalation", _("Escalation note")
    CALL_IN = "call_in", _("Inbound call")
    CALL_OUT = "call_out", _("Outbound call")
    VOICEMAIL = "voicemail", _("Voicemail")
    SMS_IN = "sms_in", _("SMS from contact")
    SMS_OUT = "sms_out", _("SMS to contact")
    CHAT = "chat", _("Chat")
    WEB_IN = "web_in", _("Message from the website")
    # History (CORE-09): changes recorded by the actions.
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    MERGED = "merged", _("Merged")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")

    @classmethod
    def history_kinds(cls) -> frozenset[ActivityKind]:
        return frozenset({cls.CREATED, cls.CHANGED, cls.MERGED, cls.CLOSED, cls.REOPENED})

    @classmethod
    def answer_kinds(cls) -> tuple[ActivityKind, ...]:
        """What answers the contact: an email or a text message to them."""
        return (cls.EMAIL_OUT, cls.SMS_OUT)


class FileFetch(models.TextChoices):
    """Files a timeline entry waits for from a provider (a voicemail's recording, an MMS's photos)."""

    NONE = "", _("nothing to fetch")
    PENDING = "pending", _("being fetched")
    FAILED = "failed", _("could not be fetched")


class Activity(models.Model):
    """One entry of a ticket's timeline: a message, note or call, or a recorded change.

    Append-only: nothing updates or deletes an activity except moving it with its ticket's
    merge (or to another ticket, CC-07) and the photo purge of its attachments. A note on an
    entry (CC-07) is an entry of kind note whose ``parent`` is that entry.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    body = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True, help_text="Sanitised before it is stored.")
    changes = models.JSONField(default=list, blank=True, help_text="[{field, old, new}] for history entries.")
    # Channel fields
    message_id = models.CharField(max_length=998, blank=True)
    from_address = models.CharField(max_length=254, blank=True)
    to_address = models.CharField(max_length=1000, blank=True)
    duration = models.PositiveIntegerField(null=True, blank=True, help_text="Seconds, for calls and voicemail.")
    provider_id = models.CharField(max_length=200, blank=True)
    # Mail trust: a message from an agent's address that did not prove it is the agent's.
    sender_unproven = models.BooleanField(default=False, db_default=False)
    # People in copy of a message from someone not on the ticket: an agent may add them, nothing else does.
    offered_cc = models.CharField(max_length=1000, blank=True, default="", db_default="")
    # The browser and operating system a message from the website was sent with ("Firefox 133 on Windows 10").
    client = models.CharField(_("browser"), max_length=200, blank=True, default="", db_default="")
    # A voicemail's recording or an MMS's photos at the provider: pending until a job has fetched
    # them, failed when it gave up (the timeline says which).
    file_fetch = models.CharField(max_length=10, choices=FileFetch.choices, blank=True, default="", db_default="")
    # A note an agent added to this entry (CC-07): shown under it, moved with it, never to the contact.
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activity_notes",
        verbose_name=_("note on"),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="activity_ticket_time"),
            models.Index(fields=["message_id"], name="activity_message_id"),
            # "My activities" (CC-07): an agent's own entries, newest first.
            models.Index(fields=["actor", "created_at"], name="activity_actor_time"),
            # The reports' answers between two moments (ADMIN-02), read off the index alone.
            models.Index(fields=["kind", "created_at", "actor", "ticket"], name="activity_kind_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.ticket_id}"

    @property
    def offered_cc_addresses(self) -> list[str]:
        return [address.strip() for address in self.offered_cc.split(",") if address.strip()]

    @property
    def new_and_quoted_text(self) -> tuple[str, str]:
        """An incoming message's own words, and the earlier mail it quotes (folded away on the
        timeline, MAIL-04); other entries quote nothing."""
        if self.kind != ActivityKind.EMAIL_IN:
            return self.body, ""
        return split_quoted(self.body)


# Recordings played on the timeline (voicemail, PHONE-03).
AUDIO_TYPES = frozenset({"audio/wav", "audio/x-wav", "audio/mpeg"})


def attachment_path(instance: Attachment, filename: str) -> str:
    """Files of a ticket together; the name made safe for any file system (the shown name is
    ``Attachment.filename``)."""
    safe = re.sub(r"[^\w.-]+", "_", filename).strip("._")[-100:] or "file"
    return f"attachments/{instance.activity.ticket_id}/{safe}"


class Attachment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    thumbnail = models.FileField(upload_to="thumbnails/", max_length=300, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True, help_text=_("From the photo's EXIF data."))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename

    @property
    def is_audio(self) -> bool:
        """A recording (a voicemail), played on the timeline; the file itself is served as audio
        only if its bytes are (downloads.py)."""
        return self.content_type in AUDIO_TYPES

    @property
    def is_photo(self) -> bool:
        """A real image (by its bytes, not the sender's word), shown by its thumbnail."""
        return bool(self.thumbnail)


class SearchEntry(models.Model):
    """A piece of text that finds a ticket: its title, an activity's body, its contact's name, its
    form's values.

    The full-text index over ``text`` is database-specific (see ``search.py``): an FTS5 table kept
    by triggers on SQLite, a GIN expression index on PostgreSQL. A migration that makes Django
    rebuild this table on SQLite drops the triggers and must re-create them.
    """

    class Source(models.TextChoices):
        TITLE = "title"
        ACTIVITY = "activity"
        CONTACT = "contact"
        FORM = "form"  # the values of the ticket's form (CC-04); source_id is the ticket's

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    source_id = models.BigIntegerField()
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id", "ticket"], name="search_entry_unique_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"
