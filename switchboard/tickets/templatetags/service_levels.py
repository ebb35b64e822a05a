"""The service-level mark of a ticket list's row (ROUTE-07): due in, near breach, overdue, paused."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
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


@register.simple_tag
def service_level_mark(ticket: Ticket, now: dt.datetime | None = None) -> SafeString:
    """The mark, from the row's annotations (selectors.with_service_level): overdue, near breach, due in,
    paused, or nothing (no clock). Written in Python: a list shows it on every row."""
    due_at: dt.datetime | None = getattr(ticket, "sla_due_at", None)
    near_at: dt.datetime | None = getattr(ticket, "sla_near_at", None)
    now = now or timezone.now()
    if ticket.closed_at is not None:
        return SafeString("")
    if due_at is None:
        if not getattr(ticket, "sla_paused", False):
            return SafeString("")
        return format_html(
            '<span class="text-body-secondary" data-sla="paused"><i class="bi bi-pause-circle" aria-hidden="true"></i>'
            " {}</span>",
            _("paused"),
        )
    if due_at <= now:
        return format_html(
            '<span class="sla-flag sla-breached text-danger fw-semibold" data-sla="breached">'
            '<i class="bi bi-exclamation-octagon-fill" aria-hidden="true"></i> {}</span>',
            _("overdue %(time)s") % {"time": span(now - due_at)},
        )
    words, title = _("due in %(time)s") % {"time": span(due_at - now)}, dateformat.format(localtime(due_at), "j M H:i")
    if near_at is not None and near_at <= now:
        return format_html(
            '<span class="sla-flag sla-near text-warning-emphasis fw-semibold" data-sla="near" title="{}">'
            '<i class="bi bi-hourglass-split" aria-hidden="true"></i> {}</span>',
            title,
            words,
        )
    return format_html('<span class="text-body-secondary" data-sla="running" title="{}">{}</span>', title, words)
