"""The posts of the groups' web forms (SELF-01): each accepted or refused one is a row, so that
the rate limits count in the database (they hold across web processes) and the administration
counts the refusals by reason. Addresses are kept only as keyed hashes."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from switchboard.tickets.models import Group


class FormPost(models.Model):
    class Refusal(models.TextChoices):
        ACCEPTED = "", _("Not refused")
        HONEYPOT = "honeypot", _("The field hidden from people was filled in")
        TOO_FAST = "too_fast", _("Sent sooner than a person can")
        FORGED = "forged", _("The form's token was missing or forged")
        EXPIRED = "expired", _("The form was too old")
        IP_LIMIT = "ip_limit", _("Too many posts from one IP address")
        ADDRESS_LIMIT = "address_limit", _("Too many posts from one email address")
        LINKS = "links", _("Too many links in the message")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+", verbose_name=_("group"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    refusal = models.CharField(_("refused"), max_length=20, choices=Refusal.choices, blank=True)
    ip_hash = models.CharField(_("IP address (hashed)"), max_length=64)
    address_hash = models.CharField(_("email address (hashed)"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("web form post")
        verbose_name_plural = _("web form posts")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["ip_hash", "created_at"], name="form_post_by_ip"),
            models.Index(fields=["address_hash", "created_at"], name="form_post_by_address"),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.created_at:%Y-%m-%d %H:%M} {self.refusal or '-'}"
