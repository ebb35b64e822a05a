"""Template parts of to-dos (AGENT-02): home's "my to-dos" and the ticket page's to-do form.
Each loads what it shows, so the pages' views need not know them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from switchboard.core.widgets import LocalDateTimeInput
from switchboard.tickets.todo_forms import TodoForm
from switchboard.tickets.todos import get_my_todos

register = template.Library()


@register.inclusion_tag("tickets/_my_todos.html", takes_context=True)
def my_todos(context: template.Context) -> dict[str, Any]:
    """Home's "my to-dos": open ones by due time, the overdue marked, the done ones folded away,
    and the form that adds one. Three queries."""
    return {
        "todos": get_my_todos(context["user"]),
        "now": timezone.now(),
        "form": TodoForm(),
        "date_format": LocalDateTimeInput().local_format(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("tickets/_ticket_todo.html", takes_context=True)
def ticket_todo_form(context: template.Context) -> dict[str, Any]:
    """The ticket page's collapsed to-do form (key t), its text the ticket's title. No query."""
    ticket = context["ticket"]
    return {
        "ticket": ticket,
        "form": context.get("todo_form") or TodoForm(initial={"text": ticket.title}),
        "date_format": LocalDateTimeInput().local_format(),
        "csrf_token": context.get("csrf_token"),
    }
