"""The queue report's pieces on other apps' pages (PHONE-08): the dialog due now (base.html) and a
group's latest queue figures (the group's page header)."""

from __future__ import annotations

from typing import Any

from django import template

from switchboard.shift.queue_report_forms import QueueReportForm
from switchboard.shift.queue_report_selectors import find_due_report, latest_figures
from switchboard.tickets.models import Group
from switchboard.tickets.permissions import can_manage

register = template.Library()


@register.simple_tag(takes_context=True)
def due_queue_report(context: template.Context) -> dict[str, Any]:
    """The report the signed-in agent owes now, and an empty form for it. One query."""
    request = context.get("request")
    report = find_due_report(request.user) if request is not None else None
    return {"report": report, "form": QueueReportForm() if report else None}


@register.inclusion_tag("shift/_queue_figures.html", takes_context=True)
def queue_figures(context: template.Context, group: Group) -> dict[str, Any]:
    """Only for a group with queue reports on: its latest figures, and for its managers the link
    to the reports."""
    if not group.queue_report_minutes:
        return {}
    return {
        "group": group,
        "figures": latest_figures(group),
        "manages": "request" in context and can_manage(context["request"].user, group),
    }
