"""Links between tickets (CORE-17): related tickets, and a parent incident with its children."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.tickets.models.tickets import Ticket


class TicketLink(models.Model):
    """Two tickets linked. A related link is one row for both tickets (the lower id first); a
    parent link goes from the parent incident to its child, and a child has one parent at most."""

    class Kind(models.TextChoices):
        RELATED = "related", _("Related ticket")
        PARENT = "parent", _("Parent incident")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_in")
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("linked ticket")
        verbose_name_plural = _("linked tickets")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="ticket_link_unique_pair"),
            models.UniqueConstraint(
                fields=["target"], condition=models.Q(kind="parent"), name="ticket_link_one_parent"
            ),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="ticket_link_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id} → {self.target_id}"
