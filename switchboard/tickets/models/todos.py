"""To-dos (AGENT-02): an agent's own reminders, optionally due at a time and tied to a ticket."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from switchboard.core.models import TimeStampedModel
from switchboard.tickets.models.tickets import Ticket

TODO_TEXT_LENGTH = 300


class Todo(TimeStampedModel):
    """One to-do of ``agent``'s, theirs alone: nobody else sees or changes it (todos.py). Done
    when ``done_at`` is set; undone again, it is open as before. A ticket it is tied to may go
    (erased): the to-do stays, untied."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="todos", verbose_name=_("agent")
    )
    text = models.CharField(_("to-do"), max_length=TODO_TEXT_LENGTH)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ticket")
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("to-do")
        verbose_name_plural = _("to-dos")
        indexes = [
            # Home's "my to-dos": an agent's open ones by due time, and their last done ones.
            models.Index(fields=["agent", "due_at"], condition=models.Q(done_at__isnull=True), name="todo_open_due"),
            models.Index(fields=["agent", "-done_at"], condition=models.Q(done_at__isnull=False), name="todo_done"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
