"""Template helpers of the activities tab (CC-07): an entry's icon, and what can be done with it."""

from __future__ import annotations

from django import template

from switchboard.tickets.activity_selectors import KIND_ICONS, MOVABLE_KINDS, NOTABLE_KINDS
from switchboard.tickets.models import Activity

register = template.Library()


@register.filter
def activity_icon(kind: str) -> str:
    """The Bootstrap icon of an activity's kind (the icon of its chip)."""
    return KIND_ICONS.get(kind, "bi-dot")


@register.filter
def can_move(activity: Activity) -> bool:
    """Whether "Move to another ticket" is offered: messages, calls and notes, not history, and
    not a note on an entry (it moves with that entry)."""
    return activity.kind in MOVABLE_KINDS and activity.parent_id is None


@register.filter
def can_note(activity: Activity) -> bool:
    """Whether "Add a note to this entry" is offered: any entry but a note."""
    return activity.kind in NOTABLE_KINDS and activity.parent_id is None
