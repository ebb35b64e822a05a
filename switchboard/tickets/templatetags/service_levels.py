"""The service-level mark of a ticket list's row (ROUTE-07): due in, near breach, overdue, paused."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from switchboard.tickets.models import Ticket

register = template.Library()


def span(delta: dt.timedelta) -> str:
    """A length of time, rounded to what a glance needs: "40 min", "2 h", "3 d"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:  # noqa: PLR2004 - an hour
        return _("%(count)d min") % {"count": max(minutes, 1)}
    if minutes < 48 * 60:
        return _("%(count)d h") % {"count": minutes // 60}
    return _("%(count)d d") % {"count": minutes // (24 * 60)}


@register.inclusion_tag("tickets/_service_level_mark.html")
def service_level_mark(ticket: Ticket, now: dt.datetime | None = None) -> dict[str, object]:
    """``state``: "breached", "near", "running", "paused" or "" (no clock), with the words; from
    the row's annotations (selectors.with_service_level)."""
    due_at: dt.datetime | None = getattr(ticket, "sla_due_at", None)
    near_at: dt.datetime | None = getattr(ticket, "sla_near_at", None)
    now = now or timezone.now()
    if ticket.closed_at is not None:
        return {"state": ""}
    if due_at is None:
        return {"state": "paused", "words": _("paused")} if getattr(ticket, "sla_paused", False) else {"state": ""}
    if due_at <= now:
        return {"state": "breached", "words": _("overdue %(time)s") % {"time": span(now - due_at)}}
    words = _("due in %(time)s") % {"time": span(due_at - now)}
    near = near_at is not None and near_at <= now
    return {"state": "near" if near else "running", "words": words, "due_at": due_at}
