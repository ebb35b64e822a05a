"""Template parts of callbacks (CC-03): the ticket page's callback card and form, and home's
"due callbacks" (AGENT-01). Each loads what it shows, so the pages' views need not know them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from switchboard.contacts.models import ContactPoint
from switchboard.core.widgets import LocalDateTimeInput
from switchboard.tickets.callback_forms import CallbackForm
from switchboard.tickets.callback_records import find_pending_callback
from switchboard.tickets.callback_selectors import get_due_callbacks
from switchboard.tickets.callbacks import QuickTime, may_change_callback
from switchboard.tickets.models import Ticket

register = template.Library()


@register.inclusion_tag("tickets/_callback.html", takes_context=True)
def callback_panel(context: template.Context) -> dict[str, Any]:
    """The ticket's pending callback (due, private or public, who set it) with Done and Cancel
    for those who may, and the collapsed form that sets one. One query."""
    ticket, user = context["ticket"], context["user"]
    callback = find_pending_callback(ticket)
    form = context.get("callback_form") or CallbackForm()
    return {
        "ticket": ticket,
        "callback": callback,
        "may_change": callback is not None and may_change_callback(callback, user, ticket),
        "overdue": callback is not None and callback.due_at <= timezone.now(),
        "form": form,
        "quick_times": list(QuickTime),
        "date_format": LocalDateTimeInput().local_format(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("tickets/_due_callbacks.html", takes_context=True)
def due_callbacks(context: template.Context) -> dict[str, Any]:
    """Home's "due callbacks": the agent's to make by the end of today. Two queries."""
    return {"due": get_due_callbacks(context["user"]), "now": timezone.now()}


@register.simple_tag
def number_to_dial(ticket: Ticket) -> str:
    """The contact's phone number "Next call" dials: the primary one, else the first."""
    if ticket.contact_id is None:
        return ""
    phones = ContactPoint.objects.filter(contact_id=ticket.contact_id, kind=ContactPoint.Kind.PHONE)
    return phones.order_by("-is_primary", "id").values_list("value", flat=True).first() or ""
