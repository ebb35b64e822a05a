from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from switchboard.core import secrets
from switchboard.core.models import TimeStampedModel
from switchboard.tickets.models import Group


class Mailbox(TimeStampedModel):
    """A mailbox polled for new mail (MAIL-01); what arrives becomes tickets of its group."""

    class Protocol(models.TextChoices):
        IMAP = "imap", "IMAP"
        POP3 = "pop3", "POP3"

    class Security(models.TextChoices):
        TLS = "tls", _("TLS (IMAPS 993, POP3S 995)")
        STARTTLS = "starttls", _("STARTTLS (IMAP 143)")
        NONE = "none", _("None (only on a trusted network)")

    class AfterFetch(models.TextChoices):
        SEEN = "seen", _("Mark as read")
        DELETE = "delete", _("Delete from the server")

    name = models.CharField(_("name"), max_length=100, unique=True)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="mailboxes", verbose_name=_("group"))
    protocol = models.CharField(_("protocol"), max_length=4, choices=Protocol.choices, default=Protocol.IMAP)
    host = models.CharField(_("server"), max_length=253)
    port = models.PositiveIntegerField(_("port"), null=True, blank=True, help_text=_("Empty: the usual port."))
    security = models.CharField(_("security"), max_length=8, choices=Security.choices, default=Security.TLS)
    username = models.CharField(_("user name"), max_length=254)
    password_encrypted = models.TextField(blank=True, editable=False)
    folder = models.CharField(_("folder"), max_length=200, default="INBOX", help_text=_("IMAP only."))
    after_fetch = models.CharField(
        _("after fetching"),
        max_length=6,
        choices=AfterFetch.choices,
        default=AfterFetch.SEEN,
        help_text=_("POP3 always deletes: it has no read flag."),
    )
    interval_seconds = models.PositiveIntegerField(_("check every (seconds)"), default=60)
    enabled = models.BooleanField(_("enabled"), default=True)
    uid_validity = models.CharField(max_length=20, blank=True, editable=False)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def password(self) -> str:
        return secrets.decrypt(self.password_encrypted)

    @password.setter
    def password(self, value: str) -> None:
        self.password_encrypted = secrets.encrypt(value)

    @property
    def server_port(self) -> int:
        if self.port:
            return self.port
        tls = self.security == self.Security.TLS
        if self.protocol == self.Protocol.IMAP:
            return 993 if tls else 143
        return 995 if tls else 110

    def is_due(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.last_checked_at is None or now - self.last_checked_at >= dt.timedelta(
            seconds=max(self.interval_seconds - 5, 0)  # a poll that starts a little early is due
        )

    @property
    def source_prefix(self) -> str:
        """The start of the RawMessage source keys of this mailbox's messages."""
        return f"mailbox:{self.pk}:"
