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

    class AuthMethod(models.TextChoices):
        PASSWORD = "password", _("Password")
        MICROSOFT = "microsoft", _("OAuth2: Microsoft 365")
        GOOGLE = "google", _("OAuth2: Google (Gmail)")

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
    auth_method = models.CharField(
        _("sign in with"),
        max_length=9,
        choices=AuthMethod.choices,
        default=AuthMethod.PASSWORD,
        help_text=_(
            "Microsoft 365 and Gmail accept no passwords: choose OAuth2, enter the client ID and secret of the "
            "app registered there, save, then connect the account."
        ),
    )
    password_encrypted = models.TextField(blank=True, editable=False)
    # OAuth2 (XOAUTH2): the app registered at the provider, and the tokens its consent gave.
    oauth_client_id = models.CharField(_("OAuth2 client ID"), max_length=200, blank=True)
    oauth_client_secret_encrypted = models.TextField(blank=True, editable=False)
    oauth_tenant = models.CharField(
        _("Microsoft tenant"),
        max_length=100,
        blank=True,
        default="common",
        help_text=_(
            "Microsoft 365 only: the directory (tenant) ID or domain of the app registration; "
            "“common” works only for an app open to every organisation."
        ),
    )
    oauth_refresh_token_encrypted = models.TextField(blank=True, editable=False)
    oauth_access_token_encrypted = models.TextField(blank=True, editable=False)
    oauth_access_token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
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
    def uses_oauth2(self) -> bool:
        return self.auth_method != self.AuthMethod.PASSWORD

    @property
    def oauth_client_secret(self) -> str:
        return secrets.decrypt(self.oauth_client_secret_encrypted)

    @oauth_client_secret.setter
    def oauth_client_secret(self, value: str) -> None:
        self.oauth_client_secret_encrypted = secrets.encrypt(value)

    @property
    def oauth_refresh_token(self) -> str:
        return secrets.decrypt(self.oauth_refresh_token_encrypted)

    @oauth_refresh_token.setter
    def oauth_refresh_token(self, value: str) -> None:
        self.oauth_refresh_token_encrypted = secrets.encrypt(value)

    @property
    def oauth_access_token(self) -> str:
        return secrets.decrypt(self.oauth_access_token_encrypted)

    @oauth_access_token.setter
    def oauth_access_token(self, value: str) -> None:
        self.oauth_access_token_encrypted = secrets.encrypt(value)

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
