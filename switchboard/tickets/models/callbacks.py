"""Callbacks (CC-03): a time agreed with the contact to call them back about a ticket."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.core.models import TimeStampedModel
from switchboard.tickets.models.tickets import Ticket


class Callback(TimeStampedModel):
    """A callback on a ticket, due at ``due_at``.

    Private: only the agent who set it calls back (it is theirs; seed 001's "oddzwonienie
    prywatne"); public: anyone in the ticket's group ("oddzwonienie publiczne"). A ticket has at
    most one pending callback (a database constraint); done, cancelled and replaced ones stay as
    its record, and every change is on the ticket's history as well (callbacks.py).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="callbacks", verbose_name=_("ticket"))
    due_at = models.DateTimeField(_("due"))
    private = models.BooleanField(
        _("private"), default=False, help_text=_("Only the agent who set it calls back; otherwise anyone in the group.")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callbacks",
        verbose_name=_("set by"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    finished_at = models.DateTimeField(_("done or cancelled"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the live notice "a callback is due" was pushed (once; callbacks.do_notify_due_callbacks).
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=models.Q(state="pending"), name="callback_one_pending_per_ticket"
            ),
        ]
        indexes = [
            # Home's "due callbacks", the call lists and the due job: pending ones by due time.
            models.Index(fields=["due_at"], condition=models.Q(state="pending"), name="callback_pending_due"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} at {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING
