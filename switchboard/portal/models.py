"""The customer portal's sign-in (SELF-03): each request for an emailed sign-in link."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.contacts.models import ContactPoint


class SignInRequest(models.Model):
    """A request for a sign-in link. Every request is kept for a day, for the rate limits, by a
    digest of the address typed (never the address itself, which may be no one's). For a
    contact's address a link was emailed: its token is kept as a digest too, and it signs in
    once (``used_at``) within PORTAL_LINK_MINUTES, while the address is still the contact's."""

    requested_at = models.DateTimeField(_("requested"), db_index=True)
    address_digest = models.CharField(max_length=64, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The contact's address the link was sent to: it goes with the address (an erasure, a correction).
    point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("sent to")
    )
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal sign-in link")
        verbose_name_plural = _("portal sign-in links")

    def __str__(self) -> str:
        return f"{self.address_digest[:8]} at {self.requested_at}"
