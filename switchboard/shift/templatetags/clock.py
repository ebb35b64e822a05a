"""The navbar's time clock (AGENT-05): whether the agent is on shift or on a break, and since when."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.contrib.auth.models import AnonymousUser, User

from switchboard.shift.models import Break, BreakReason, Shift

register = template.Library()


@dataclass(frozen=True)
class Clock:
    shift: Shift | None
    on_break: Break | None
    reasons: list[tuple[str, str]]


@register.simple_tag(takes_context=True)
def clock_of(context: template.Context, user: User | AnonymousUser) -> Clock:
    """The user's open shift and open break: one query off shift, two on it, once per page (the
    pill and the menu ask both)."""
    request = context.get("request")
    cached = getattr(request, "_shift_clock", None)
    if isinstance(cached, Clock):
        return cached
    shift = Shift.objects.filter(agent_id=user.pk, ended_at__isnull=True).first() if user.is_authenticated else None
    on_break = Break.objects.filter(shift=shift, ended_at__isnull=True).first() if shift is not None else None
    clock = Clock(shift=shift, on_break=on_break, reasons=[(value, str(label)) for value, label in BreakReason.choices])
    if request is not None:
        request._shift_clock = clock
    return clock


@register.filter
def hours_minutes(seconds: int | None) -> str:
    """Seconds as hours and minutes, ``7:05``; an empty day as a dash."""
    if not seconds:
        return "–"
    minutes = int(seconds) // 60
    return f"{minutes // 60}:{minutes % 60:02d}"
