"""Template parts of time per ticket (AGENT-07) on the ticket page: the timer in the action row,
the form that saves its minutes (or typed ones), and the time in Details. Each loads what it
shows, so the ticket page's view need not know them."""

from __future__ import annotations

from typing import Any

from django import template

from switchboard.tickets.time_forms import TimeEntryForm
from switchboard.tickets.time_selectors import get_ticket_time

register = template.Library()


@register.inclusion_tag("tickets/_timer_button.html", takes_context=True)
def ticket_timer(context: template.Context) -> dict[str, Any]:
    """The timer's buttons in the action row: start / pause (key m) and "log time". No query."""
    return {"ticket": context["ticket"], "user": context["user"]}


@register.inclusion_tag("tickets/_time_form.html", takes_context=True)
def ticket_time_form(context: template.Context) -> dict[str, Any]:
    """The collapsed form that saves the timer's minutes, adjusted, or typed ones. No query."""
    return {
        "ticket": context["ticket"],
        "form": context.get("time_form") or TimeEntryForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("tickets/_ticket_time.html", takes_context=True)
def ticket_time(context: template.Context) -> dict[str, Any]:
    """Details' "Time spent": the ticket's total and its latest entries. Two queries."""
    return {"ticket": context["ticket"], "time": get_ticket_time(context["ticket"])}
