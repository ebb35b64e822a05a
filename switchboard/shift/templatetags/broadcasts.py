"""The banners on every page (ADMIN-05): base.html's include asks for the signed-in agent's."""

from __future__ import annotations

from django import template

from switchboard.shift.broadcasts import list_active_broadcasts
from switchboard.shift.models import Broadcast
from switchboard.tickets.permissions import User

register = template.Library()


@register.simple_tag
def active_broadcasts(user: User) -> list[Broadcast]:
    return list(list_active_broadcasts(user))
