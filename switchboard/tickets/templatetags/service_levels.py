"""The service-level mark of a ticket list's row (ROUTE-07): due in, near breach, overdue, paused."""

from __future__ import annotations

import datetime as dt

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.tickets.models import Ticket, TicketClock

register = template.Library()


def span(delta: dt.timedelta) -> str:
    """A length of time, rounded to what a glance needs: "40 min", "2 h", "3 d"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:  # noqa: PLR2004 - an hour
        return _("%(count)d min") % {"count": max(minutes, 1)}
    if minutes < 48 * 60:
        return _("%(count)d h") % {"count": minutes // 60}
    return _("%(count)d d") % {"count": minutes // (24 * 60)}


def clock_of(ticket: Ticket) -> TicketClock | None:
    try:
        return ticket.service_clock
    except ObjectDoesNotExist:
        return None


@register.inclusion_tag("tickets/_service_level_mark.html")
def service_level_mark(ticket: Ticket, now: dt.datetime | None = None) -> dict[str, object]:
    """``state``: "breached", "near", "running", "paused" or "" (no clock), with the words."""
    clock = clock_of(ticket)
    now = now or timezone.now()
    if clock is None or ticket.closed_at is not None:
        return {"state": ""}
    if clock.due_at is None:
        return (
            {"state": "paused", "words": _("paused")}
            if clock.used_seconds or clock.first_responded_at
            else {"state": ""}
        )
    if clock.due_at <= now:
        return {"state": "breached", "words": _("overdue %(time)s") % {"time": span(now - clock.due_at)}}
    words = _("due in %(time)s") % {"time": span(clock.due_at - now)}
    near = clock.near_at is not None and clock.near_at <= now
    return {"state": "near" if near else "running", "words": words, "due_at": clock.due_at}
