"""An agent's phone state (PHONE-09): signed out, not ready (with a reason), ready, on a call,
wrap-up. One state per agent, for all their groups."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from switchboard.tickets.models import AgentProfile

PhoneState = AgentProfile.PhoneState


def phone_state_of(user: User) -> str:
    profile = getattr(user, "agent_profile", None)
    return profile.phone_state if profile is not None else PhoneState.SIGNED_OUT


@transaction.atomic
def do_set_phone_state(user: User, state: str, *, reason: str = "", acting_user: User) -> AgentProfile:
    """``user`` is in ``state`` from now on; the reason is kept only for "not ready"."""
    profile, _created = AgentProfile.objects.select_for_update().get_or_create(
        user=user, defaults={"initials": (user.get_username()[:2]).upper()}
    )
    profile.phone_state = PhoneState(state)
    profile.phone_state_reason = reason if state == PhoneState.NOT_READY else ""
    profile.phone_state_since = timezone.now()
    profile.save(update_fields=["phone_state", "phone_state_reason", "phone_state_since"])
    return profile
