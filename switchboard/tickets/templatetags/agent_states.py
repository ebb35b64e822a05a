"""The agent's phone state in the navbar's shift menu and on the Team page (PHONE-09)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from switchboard.tickets.agent_states import ALLOWED, NOT_READY_REASONS, STATE_LOOK, PhoneState, reason_label

register = template.Library()


@dataclass(frozen=True)
class StateLook:
    key: str
    label: str
    icon: str
    colour: str


def look_of(state: str) -> StateLook:
    icon, colour = STATE_LOOK[state]
    return StateLook(key=state, label=str(PhoneState(state).label), icon=icon, colour=colour)


@register.simple_tag(takes_context=True)
def my_phone_state(context: template.Context) -> dict[str, Any]:
    """The page's agent's state, its reason, and the switches they may make from it (not ready
    once per reason; on a call and wrap-up by hand only without a phone, whose calls set them).
    No query: the profile is loaded with the user (core.middleware)."""
    request = context.get("request")
    cached: dict[str, Any] | None = getattr(request, "_my_phone_state", None)
    if cached is not None:  # the pill's, again for the menu
        return cached
    user = context.get("user")
    profile = getattr(user, "agent_profile", None) if user is not None and user.is_authenticated else None
    state = profile.phone_state if profile is not None else PhoneState.SIGNED_OUT
    reason = profile.phone_state_reason if profile is not None else ""
    allowed = ALLOWED[state]
    by_hand = profile is None or not profile.phone
    switches = [
        look_of(other)
        for other in (PhoneState.READY, PhoneState.ON_CALL, PhoneState.WRAP_UP, PhoneState.SIGNED_OUT)
        if other in allowed and (by_hand or other not in (PhoneState.ON_CALL, PhoneState.WRAP_UP))
    ]
    reasons = [(key, str(label)) for key, label in NOT_READY_REASONS.items() if key != reason]
    view = {
        "now": look_of(state),
        "reason": reason_label(reason) if reason else "",
        "switches": switches,
        "reasons": reasons if PhoneState.NOT_READY in allowed else [],
    }
    if request is not None:
        request._my_phone_state = view  # noqa: SLF001 - one look-up per page
    return view


@register.simple_tag
def phone_state_look(state: str) -> StateLook:
    return look_of(state)


@register.simple_tag
def phone_reason(reason: str) -> str:
    return reason_label(reason) if reason else ""
