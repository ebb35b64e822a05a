"""To-dos (AGENT-02): an agent's own list of things to do, each with an optional due time and an
optional ticket it is about; done and undone again. The writes (``do_…``) and home's read.

A to-do is its agent's alone: nobody else sees or changes it, a manager or administrator neither.
It is therefore not on the ticket's history, which the whole group reads. A to-do may be tied only
to a ticket its agent may work on (tickets/permissions.py); if they leave the ticket's group later,
the to-do keeps its text but no longer shows the ticket's title or link.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.tickets.models import TODO_TEXT_LENGTH, Ticket, Todo
from switchboard.tickets.permissions import ensure_can_work_on, visible_tickets


class TodoError(Exception):
    """A to-do that cannot be saved; the message is for the agent."""


def _clean_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise TodoError(_("Write what is to be done."))
    if len(text) > TODO_TEXT_LENGTH:
        raise TodoError(_("A to-do can be at most %(count)d characters long.") % {"count": TODO_TEXT_LENGTH})
    return text


def _ensure_owner(todo: Todo, user: User) -> None:
    if todo.agent_id != user.pk:
        raise PermissionDenied(_("This is another agent's to-do."))


@transaction.atomic
def do_add_todo(
    *, text: str, acting_user: User, due_at: dt.datetime | None = None, ticket: Ticket | None = None
) -> Todo:
    """A new open to-do of ``acting_user``'s; ``ticket``, if given, must be one they may work on."""
    text = _clean_text(text)
    if ticket is not None:
        ensure_can_work_on(acting_user, ticket)
    return Todo.objects.create(agent=acting_user, text=text, due_at=due_at, ticket=ticket)


@transaction.atomic
def do_set_todo_done(todo: Todo, *, done: bool, acting_user: User) -> Todo:
    """Tick a to-do off (``done``) or open it again. Doing what is already done changes nothing."""
    _ensure_owner(todo, acting_user)
    current = Todo.objects.select_for_update().get(pk=todo.pk)
    if current.is_done != done:
        current.done_at = timezone.now() if done else None
        current.save(update_fields=["done_at", "updated_at"])
    return current


@transaction.atomic
def do_delete_todo(todo: Todo, *, acting_user: User) -> None:
    _ensure_owner(todo, acting_user)
    Todo.objects.filter(pk=todo.pk).delete()


# --- home's "my to-dos" --------------------------------------------------------------------------


@dataclass(frozen=True)
class MyTodos:
    """Home's "my to-dos": the open ones, soonest due first (those without a due time last), how
    many are open and overdue, and the last done ones."""

    open_count: int
    overdue: int
    open: list[Todo]
    done: list[Todo]

    @property
    def more(self) -> int:
        """How many open ones are not shown."""
        return self.open_count - len(self.open)


def get_my_todos(user: User, *, now: dt.datetime | None = None, limit: int = 30, done_limit: int = 10) -> MyTodos:
    """``user``'s to-dos for home, each with ``ticket`` joined and ``ticket_shown`` (whether its
    ticket is still one they may see). Three queries whatever their number."""
    now = now or timezone.now()
    mine = Todo.objects.filter(agent_id=user.pk)
    counts = mine.filter(done_at__isnull=True).aggregate(
        count=Count("id"), overdue=Count("id", filter=Q(due_at__lte=now))
    )
    shown = Exists(visible_tickets(user).filter(pk=OuterRef("ticket_id")))
    rows = mine.select_related("ticket").annotate(ticket_shown=shown)
    open_rows = rows.filter(done_at__isnull=True).order_by(F("due_at").asc(nulls_last=True), "created_at", "id")
    done_rows = rows.filter(done_at__isnull=False).order_by("-done_at", "-id")
    return MyTodos(
        open_count=counts["count"],
        overdue=counts["overdue"],
        open=list(open_rows[:limit]),
        done=list(done_rows[:done_limit]),
    )
