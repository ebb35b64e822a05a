"""What the "create tickets" form (contacts/_create_tickets.html) offers: the agent's groups."""

from __future__ import annotations

from django import template
from django.db.models import QuerySet

from switchboard.tickets.models import Group
from switchboard.tickets.permissions import visible_groups

register = template.Library()


@register.simple_tag(takes_context=True)
def outbound_groups(context: template.Context) -> QuerySet[Group]:
    """The groups (campaigns) the page's agent works in, by name."""
    user = context.get("user")
    return visible_groups(user).order_by("name") if user is not None else Group.objects.none()
