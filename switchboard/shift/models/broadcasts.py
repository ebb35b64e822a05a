"""Broadcasts (ADMIN-05): the banner an administrator or a manager posts to the agents' pages, with
the procedure to follow and whom to call in an emergency, until it is cleared. Cleared ones stay
as history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Broadcast(models.Model):
    """A banner on every page of the agents of ``groups`` (none: every agent) while ``cleared_at``
    is empty."""

    text = models.CharField(_("message"), max_length=300)
    procedure = models.TextField(_("procedure"), blank=True)
    contact_name = models.CharField(_("emergency contact"), max_length=100, blank=True)
    contact_phone = models.CharField(_("emergency phone"), max_length=40, blank=True)
    groups = models.ManyToManyField(
        "tickets.Group", blank=True, related_name="+", verbose_name=_("groups"), help_text=_("None: everyone.")
    )
    posted_at = models.DateTimeField(_("posted"))
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("posted by")
    )
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cleared by"),
    )

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")
        ordering = ["-posted_at", "-pk"]
        indexes = [
            models.Index(fields=["posted_at"], condition=models.Q(cleared_at__isnull=True), name="broadcast_active")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_active(self) -> bool:
        return self.cleared_at is None
