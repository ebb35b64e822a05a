"""The navbar's time clock (AGENT-05): whether the agent is on shift or on a break, and since when."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import F, FilteredRelation, Q

from switchboard.shift.models import Break, BreakReason, Shift

register = template.Library()


@dataclass(frozen=True)
class Clock:
    shift: Shift | None
    on_break: Break | None
    reasons: list[tuple[str, str]]


@register.simple_tag(takes_context=True)
def clock_of(context: template.Context, user: User | AnonymousUser) -> Clock:
    """The user's open shift with its open break (a shift has at most one): one query, once per
    page (the pill and the menu ask both)."""
    request = context.get("request")
    cached = getattr(request, "_shift_clock", None)
    if isinstance(cached, Clock):
        return cached
    shift = (
        Shift.objects.filter(agent_id=user.pk, ended_at__isnull=True)
        .annotate(open_break=FilteredRelation("breaks", condition=Q(breaks__ended_at__isnull=True)))
        .annotate(
            break_id=F("open_break__id"),
            break_started_at=F("open_break__started_at"),
            break_reason=F("open_break__reason"),
        )
        .first()
        if user.is_authenticated
        else None
    )
    on_break = None
    if shift is not None and shift.break_id is not None:
        on_break = Break(pk=shift.break_id, shift=shift, started_at=shift.break_started_at, reason=shift.break_reason)
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
